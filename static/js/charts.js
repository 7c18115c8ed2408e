/* Draws every plotly figure on the page: <div data-figure="ID"> reads the JSON that
   json_script wrote into <script id="ID" type="application/json">. No inline script, so the
   page works under Content-Security-Policy script-src 'self'. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var name = container.dataset.filename || "kompass-diagram";
    var config = {
      responsive: true,
      displaylogo: false,
      locale: "sv",
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", filename: name, scale: 2 },
      modeBarButtonsToAdd: [
        {
          name: "svg",
          title: "Ladda ner som SVG",
          icon: Plotly.Icons.camera,
          click: function (graph) {
            Plotly.downloadImage(graph, { format: "svg", filename: name });
          },
        },
      ],
    };
    Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      container.classList.add("chart-ready");
      container.dataset.traces = String(figure.data.length);
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

/* Draws every plotly figure on the page: <div data-figure="ID"> reads the JSON that
   json_script wrote into <script id="ID" type="application/json">. No inline script, so the
   page works under Content-Security-Policy script-src 'self'.

   plotly.js (1.2 MB) is fetched only after the page has loaded, from the address in this
   script's data-plotly, and the charts are drawn one per task: the text and the tables beside
   the charts come first and the page stays responsive while the charts follow. */
(function () {
  "use strict";

  var plotlySource = document.currentScript && document.currentScript.dataset.plotly;

  function loadPlotly() {
    return new Promise(function (resolve, reject) {
      if (typeof Plotly !== "undefined") {
        resolve();
        return;
      }
      var script = document.createElement("script");
      script.src = plotlySource;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function nextTask() {
    return new Promise(function (resolve) {
      setTimeout(resolve, 0);
    });
  }

  var NARROW = 560; // CSS pixels: a phone held upright

  function areaNumber(label) {
    var text = String(label);
    return /^[0-9]/.test(text) ? "Område " + text.split(/[ <]/)[0] : text;
  }

  /* On a phone the areas' names would be cut off: the charts name the areas by number, and
     the tables beside them give the names. The radar gets the whole width. */
  function fitToWidth(container, figure) {
    var width = container.clientWidth;
    if (width >= NARROW) {
      return;
    }
    figure.data.forEach(function (trace) {
      if (trace.type === "scatterpolar") {
        trace.theta = trace.theta.map(areaNumber);
      }
      if (trace.type === "bar" && trace.orientation === "h") {
        trace.y = trace.y.map(areaNumber);
      }
    });
    if (figure.layout.polar) {
      figure.layout.margin = { l: 75, r: 75, t: 30, b: 30 };
      figure.layout.height = width + 100;
    }
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source) {
      return Promise.resolve();
    }
    var figure = JSON.parse(source.textContent);
    fitToWidth(container, figure);
    var name = container.dataset.filename || "kompass-diagram";
    var config = {
      responsive: true,
      displaylogo: false,
      locale: "sv",
      // No "share" to Plotly's cloud: nothing leaves our site.
      showSendToCloud: false,
      showEditInChartStudio: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud"],
      toImageButtonOptions: { format: "png", filename: name, scale: 2 },
      modeBarButtonsToAdd: [
        {
          name: "svg",
          title: "Ladda ner som SVG",
          icon: Plotly.Icons.disk,
          click: function (graph) {
            Plotly.downloadImage(graph, { format: "svg", filename: name });
          },
        },
      ],
    };
    return Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      container.classList.add("chart-ready");
      container.dataset.traces = String(figure.data.length);
    });
  }

  function drawAll() {
    var containers = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
    if (!containers.length || !plotlySource) {
      return;
    }
    containers
      .reduce(function (previous, container) {
        return previous.then(nextTask).then(function () {
          return draw(container);
        });
      }, loadPlotly())
      .catch(function () {
        // Without plotly the numbers are still in the tables beside each chart.
        document.documentElement.classList.add("charts-unavailable");
      });
  }

  if (document.readyState === "complete") {
    drawAll();
  } else {
    window.addEventListener("load", drawAll);
  }
})();

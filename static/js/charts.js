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

  var CREDIT_SPACE = 90; // px above and below the chart for its title and source line

  function today() {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function chartTitle(container) {
    if (container.dataset.title) {
      return container.dataset.title;
    }
    var heading = document.querySelector("h1");
    var caption = container.closest("figure") && container.closest("figure").querySelector("figcaption");
    var parts = [heading && heading.textContent.trim(), caption && caption.textContent.split(":")[0]];
    return parts.filter(Boolean).join(": ");
  }

  function chartSource(container) {
    var canonical = document.querySelector('link[rel="canonical"]');
    return container.dataset.source || (canonical && canonical.href) || window.location.href;
  }

  /* The layout with the title above and "Källa: … · address · date" below: what an exported or
     printed chart carries, so that it still says what it is once it leaves the page. */
  function withCredits(container, layout, grow) {
    var credited = JSON.parse(JSON.stringify(layout));
    var margin = credited.margin || {};
    credited.margin = Object.assign({}, margin, { t: (margin.t || 40) + 40, b: (margin.b || 40) + 50 });
    if (grow) {
      credited.height = (layout.height || 450) + CREDIT_SPACE;
    }
    credited.title = { text: chartTitle(container), x: 0.01, xanchor: "left", font: { size: 16 } };
    credited.annotations = (credited.annotations || []).concat([
      {
        text: "Källa: SKR:s Kommunkompassen via Kompass · " + chartSource(container) + " · " + today(),
        xref: "paper",
        yref: "paper",
        x: 0,
        y: 0,
        yshift: -(margin.b || 40) - 30,
        xanchor: "left",
        yanchor: "top",
        showarrow: false,
        font: { size: 11, color: "#4a4a4a" },
      },
    ]);
    return credited;
  }

  // Printed charts carry the credits too, at their own height (compare.js sets the printed
  // width and height); after printing they go again.
  var printing = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".chart-ready").forEach(function (container) {
      var layout = container.layout;
      var credited = withCredits(container, layout, false);
      printing.push({
        container: container,
        undo: {
          margin: JSON.parse(JSON.stringify(layout.margin || {})),
          annotations: JSON.parse(JSON.stringify(layout.annotations || [])),
          title: { text: "" },
        },
      });
      Plotly.relayout(container, {
        margin: credited.margin,
        annotations: credited.annotations,
        title: credited.title,
      });
    });
  });
  window.addEventListener("afterprint", function () {
    printing.splice(0).forEach(function (saved) {
      Plotly.relayout(saved.container, saved.undo);
    });
  });

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source) {
      return Promise.resolve();
    }
    var figure = JSON.parse(source.textContent);
    fitToWidth(container, figure);
    var name = container.dataset.filename || "kompass-diagram";
    // Exported images carry the chart's title, the page's address and the date.
    function download(format) {
      var exported = { data: figure.data, layout: withCredits(container, figure.layout, true) };
      var options = { format: format, width: container.clientWidth || 700, scale: 2 };
      options.height = (figure.layout.height || 450) + CREDIT_SPACE;
      return Plotly.toImage(exported, options).then(function (url) {
        var link = document.createElement("a");
        link.href = url;
        link.download = name + "." + format;
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }
    var config = {
      responsive: true,
      displaylogo: false,
      locale: "sv",
      // No "share" to Plotly's cloud: nothing leaves our site.
      showSendToCloud: false,
      showEditInChartStudio: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud", "toImage"],
      modeBarButtonsToAdd: [
        {
          name: "png",
          title: "Ladda ner som PNG",
          icon: Plotly.Icons.camera,
          click: function () {
            download("png");
          },
        },
        {
          name: "svg",
          title: "Ladda ner som SVG",
          icon: Plotly.Icons.disk,
          click: function () {
            download("svg");
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

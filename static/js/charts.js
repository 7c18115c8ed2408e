/* Draws every plotly figure on the page: <div data-figure="ID"> reads the JSON that
   json_script wrote into <script id="ID" type="application/json">. No inline script, so the
   page works under Content-Security-Policy script-src 'self'.

   plotly.js (1.2 MB) is fetched only after the page has loaded, from the address in this
   script's data-plotly, and the charts are drawn one per task: the text and the tables beside
   the charts come first and the page stays responsive while the charts follow.

   The radar and the bars name the areas wherever the names fit: the names are measured in
   the chart's font at the width the chart is drawn (on screen, in print, in a downloaded
   image) and wrapped; only where even wrapped names leave no room for the chart do the areas
   go by number ("Område 3"), and the tables beside the charts give the names. */
(function () {
  "use strict";

  var script = document.currentScript ? document.currentScript.dataset : {};
  var plotlySource = script.plotly;
  var TEXT = {
    download: script.download || "Ladda ner som",
    source: script.credit || "Källa: SKR:s Kommunkompassen via Kompass",
  };
  var PRINT_WIDTH = 680; // A4 (210 mm) less 15 mm margins each side, in CSS pixels
  var PRINT_HEIGHT_SHARE = 0.75;
  var IMAGE_WIDTH = 1000; // downloaded PNG and SVG
  var MIN_RADIUS = 105; // a radar smaller than this is unreadable: names give way to numbers
  var LINE_HEIGHT = 1.25;

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

  var canvas = document.createElement("canvas").getContext("2d");

  function measure(text, font, size) {
    canvas.font = size + "px " + font.family;
    return canvas.measureText(text).width;
  }

  /* Greedy word wrap to `width` pixels; null when one word alone is wider. */
  function wrap(label, width, font, size) {
    var lines = [];
    var words = String(label).split(/\s+/);
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      if (measure(word, font, size) > width) {
        return null;
      }
      var joined = lines.length ? lines[lines.length - 1] + " " + word : null;
      if (joined !== null && measure(joined, font, size) <= width) {
        lines[lines.length - 1] = joined;
      } else {
        lines.push(word);
      }
    }
    return lines;
  }

  function widest(lines, font, size) {
    return lines.reduce(function (most, line) {
      return Math.max(most, measure(line, font, size));
    }, 0);
  }

  function legendHeight(figure, width, font) {
    if (figure.data.length < 2) {
      return 0; // plotly shows no legend for a single series
    }
    var rows = 1;
    var used = 0;
    figure.data.forEach(function (trace) {
      var item = measure(trace.name || "", font, font.size) + 48;
      if (used && used + item > width) {
        rows += 1;
        used = 0;
      }
      used += item;
    });
    return rows * Math.ceil(font.size * 1.9) + 8;
  }

  /* The room a label needs beside the circle: at 3 and 9 o'clock its whole width; on a
     diagonal (areas 2, 4, 6 and 8) it starts 0.29 r inside the circle's bounding square. */
  function sideRoom(widths, radius) {
    return widths.reduce(function (most, width, index) {
      var diagonal = index % 2 === 1;
      var top = index % 4 === 0; // areas 1 and 5 sit above and below the circle
      return Math.max(most, top ? width / 2 - radius : diagonal ? width - 0.29 * radius : width);
    }, 0) + 14;
  }

  /* The radar's labels and margins for a chart `width` pixels wide: the names wrapped as
     little as gives the circle a quarter of the width as radius (at least MIN_RADIUS). */
  function fitRadar(figure, width) {
    var meta = figure.layout.meta || {};
    var font = figure.layout.font;
    var labels = meta.labels || [];
    var legend = legendHeight(figure, width, font);
    var wanted = Math.max(MIN_RADIUS, width / 4);
    var best = null;
    for (var size = font.size; size >= 11 && !best; size--) {
      var lineHeight = Math.ceil(size * LINE_HEIGHT);
      for (var lineWidth = Math.round(width * 0.3); lineWidth >= 70; lineWidth -= 8) {
        var wrapped = labels.map(function (label) {
          return wrap(label, lineWidth, font, size);
        });
        if (wrapped.some(function (lines) { return lines === null; })) {
          break;
        }
        var widths = wrapped.map(function (lines) { return widest(lines, font, size); });
        var radius = width / 2;
        for (var i = 0; i < 4; i++) {
          radius = (width - 2 * sideRoom(widths, radius)) / 2;
        }
        if (radius < MIN_RADIUS) {
          continue;
        }
        var side = Math.ceil(sideRoom(widths, radius));
        var top = wrapped[0].length * lineHeight + 22;
        var bottom = (wrapped[Math.floor(labels.length / 2)] || []).length * lineHeight + 22;
        best = {
          theta: wrapped.map(function (lines) { return lines.join("<br>"); }),
          size: size,
          margin: { l: side, r: side, t: top, b: bottom + legend },
          height: Math.round(2 * radius + top + bottom + legend),
        };
        if (radius >= wanted) {
          break;
        }
      }
    }
    if (best) {
      return best;
    }
    var numbers = meta.short || labels;
    var room = Math.ceil(sideRoom(numbers.map(function (n) { return measure(n, font, font.size); }), 0));
    return {
      theta: numbers,
      size: font.size,
      margin: { l: room, r: room, t: 34, b: 34 + legend },
      height: Math.round(width - 2 * room + 68 + legend),
    };
  }

  /* The bars' labels: wrapped to at most 45 % of the width, else the area numbers. */
  function fitBars(figure, width) {
    var meta = figure.layout.meta || {};
    var font = figure.layout.font;
    var labels = meta.labels || [];
    var room = width * 0.45 - 12;
    var wrapped = labels.map(function (label) {
      return wrap(label, room, font, font.size);
    });
    var fits = !wrapped.some(function (lines) { return lines === null; });
    var lines = fits
      ? wrapped.reduce(function (sum, item) { return sum + item.length; }, 0)
      : labels.length;
    return {
      y: fits ? wrapped.map(function (item) { return item.join("<br>"); }) : meta.short || labels,
      height: Math.max(figure.layout.height || 420, Math.round(lines * font.size * 1.5 + labels.length * 10 + 90)),
    };
  }

  /* A copy of `figure` fitted to `width` pixels (only the radar and the bars change). */
  function fitted(figure, width) {
    var copy = JSON.parse(JSON.stringify(figure));
    var first = copy.data[0] || {};
    if (copy.layout.polar && copy.layout.meta) {
      var radar = fitRadar(copy, width);
      copy.data.forEach(function (trace) {
        trace.theta = radar.theta.concat([radar.theta[0]]); // the polygon closes
      });
      copy.layout.polar.angularaxis.tickfont = { size: radar.size };
      copy.layout.margin = radar.margin;
      copy.layout.height = radar.height;
      copy.layout.legend = { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" };
    } else if (first.type === "bar" && first.orientation === "h" && copy.layout.meta) {
      var bars = fitBars(copy, width);
      first.y = bars.y;
      copy.layout.height = bars.height;
    }
    copy.layout.width = width;
    return copy;
  }

  function source(container) {
    return document.getElementById(container.dataset.figure);
  }

  function figureOf(container) {
    return JSON.parse(source(container).textContent);
  }

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

  /* A printed or downloaded chart carries its title above and "Källa: … · address · date"
     below, so that it still says what it is once it leaves the page. */
  var CREDIT_TOP = 44;
  var CREDIT_BOTTOM = 34;

  function withCredits(container, figure) {
    figure.layout.title = { text: chartTitle(container), x: 0, xanchor: "left", font: { size: 16 } };
    figure.layout.margin.t += CREDIT_TOP;
    figure.layout.margin.b += CREDIT_BOTTOM;
    figure.layout.height += CREDIT_TOP + CREDIT_BOTTOM;
    figure.layout.annotations = (figure.layout.annotations || []).concat([
      {
        text: TEXT.source + " · " + chartSource(container) + " · " + today(),
        showarrow: false,
        xref: "paper",
        yref: "container",
        x: 0,
        y: 0,
        xanchor: "left",
        yanchor: "bottom",
        font: { size: 11, color: "#4a4a4a" },
      },
    ]);
    if (figure.layout.legend && figure.layout.legend.yref === "container") {
      figure.layout.legend.y = CREDIT_BOTTOM / figure.layout.height;
    }
    return figure;
  }

  /* A downloaded image: fitted to IMAGE_WIDTH, so that the areas go by name. */
  function downloadImage(container, format) {
    var figure = withCredits(container, fitted(figureOf(container), IMAGE_WIDTH));
    return Plotly.downloadImage(
      { data: figure.data, layout: figure.layout },
      {
        format: format,
        width: IMAGE_WIDTH,
        height: figure.layout.height,
        filename: container.dataset.filename || "kompass-diagram",
        scale: format === "png" ? 2 : 1,
      }
    );
  }

  function config(container) {
    function button(format, icon) {
      return {
        name: format,
        title: TEXT.download + " " + format.toUpperCase(),
        icon: icon,
        click: function () {
          downloadImage(container, format);
        },
      };
    }
    return {
      responsive: false, // redrawn at the measured width instead: the names are refitted
      displaylogo: false,
      locale: "sv",
      // No "share" to Plotly's cloud: nothing leaves our site.
      showSendToCloud: false,
      showEditInChartStudio: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud", "toImage"],
      modeBarButtonsToAdd: [button("png", Plotly.Icons.camera), button("svg", Plotly.Icons.disk)],
    };
  }

  function render(container, width) {
    var figure = fitted(figureOf(container), width);
    figure.layout.title = { text: "" }; // only printed and downloaded charts carry a title
    return Plotly.react(container, figure.data, figure.layout, config(container)).then(function () {
      container.dataset.drawnWidth = String(width);
      container.dataset.traces = String(figure.data.length);
    });
  }

  function draw(container) {
    if (!source(container)) {
      return Promise.resolve();
    }
    return render(container, container.clientWidth).then(function () {
      container.classList.add("chart-ready");
    });
  }

  function drawn() {
    return Array.prototype.slice.call(document.querySelectorAll(".chart-ready[data-figure]"));
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

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      drawn().forEach(function (container) {
        if (Number(container.dataset.drawnWidth) !== container.clientWidth) {
          render(container, container.clientWidth);
        }
      });
    }, 150);
  });

  /* Printing: plotly does not redraw for print, so every chart is redrawn at the printed width
     (and a little lower, so that a chart and its heading share a page, unless the chart says
     data-print-height-share="1"), with its names fitted to that width; after printing, at its
     container's width again. */
  window.addEventListener("beforeprint", function () {
    drawn().forEach(function (container) {
      var figure = fitted(figureOf(container), PRINT_WIDTH);
      var share = Number(container.dataset.printHeightShare) || PRINT_HEIGHT_SHARE;
      if (!figure.layout.polar) {
        figure.layout.height = Math.round(figure.layout.height * share);
      }
      withCredits(container, figure);
      Plotly.react(container, figure.data, figure.layout, config(container));
      container.dataset.drawnWidth = String(PRINT_WIDTH);
    });
  });

  window.addEventListener("afterprint", function () {
    drawn().forEach(function (container) {
      render(container, container.clientWidth);
    });
  });

  if (document.readyState === "complete") {
    drawAll();
  } else {
    window.addEventListener("load", drawAll);
  }
})();

/* On every public page. Tables that scroll sideways say so (the cue beside them shows only
   while the table is wider than its box); for print, the evaluators' texts in closed <details>
   are opened, and the printed source line gets the day it was printed (else the page says the
   day it was fetched). */
(function () {
  "use strict";

  function markOverflowing() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var overflowing = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-overflowing", overflowing);
      var cue = box.previousElementSibling;
      if (cue && cue.classList.contains("scroll-cue")) {
        cue.hidden = !overflowing;
      }
    });
  }

  var openedForPrint = [];

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
    var printed = document.getElementById("printed-on");
    if (printed) {
      printed.textContent =
        printed.dataset.printed +
        " " +
        new Date().toLocaleDateString(document.documentElement.lang || "sv", { day: "numeric", month: "long", year: "numeric" });
    }
  });

  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(markOverflowing, 100);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markOverflowing);
  } else {
    markOverflowing();
  }
  window.addEventListener("load", markOverflowing);
})();

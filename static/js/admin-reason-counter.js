// A counter under each reason field ("12 av 500 tecken"), announced politely to screen readers.
// The browser stops at the limit (maxlength) and the server checks it again.
(function () {
  "use strict";

  function attach(field) {
    const limit = Number(field.getAttribute("maxlength"));
    const counter = document.createElement("output");
    counter.className = "reason-counter";
    counter.id = field.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("for", field.id);
    field.insertAdjacentElement("afterend", counter);
    function update() {
      counter.textContent = field.dataset.counterText
        .replace("{count}", String(field.value.length))
        .replace("{limit}", String(limit));
    }
    field.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-counter-text][maxlength]").forEach(attach);
  });
})();

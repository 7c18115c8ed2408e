/* "Kopiera koden" beside the embed code: shown only where this script runs; without it the
   code is selected and copied by hand. The messages come translated in the status element's
   data-copied and data-copy-by-hand. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]');
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      var done = function () {
        status.textContent = status.dataset.copied;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          status.textContent = status.dataset.copyByHand;
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();

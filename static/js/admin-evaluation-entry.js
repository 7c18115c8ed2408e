// Sums per area and in total in the evaluation form's grid, updated as staff type.
// The server checks every figure again; this only shows the sums.
(function () {
  "use strict";

  const format = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 1 });

  // Tenths of a point as an integer ("10,8" -> 108), so that sums have no float error;
  // null when empty, NaN when not a number.
  function tenths(input) {
    const text = input.value.trim().replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (text === "") return null;
    const number = Number(text);
    return Number.isFinite(number) ? Math.round(number * 10) : NaN;
  }

  function show(output, value) {
    output.textContent = value === null ? "–" : format.format(value / 10);
  }

  function update(grid) {
    let total = null;
    grid.querySelectorAll(".area-block[data-area]").forEach(function (block) {
      let sum = null;
      block.querySelectorAll("input.score-points").forEach(function (input) {
        const value = tenths(input);
        const max = Number(input.dataset.max) * 10;
        const bad = Number.isNaN(value) || (value !== null && (value < 0 || value > max));
        input.classList.toggle("out-of-range", bad);
        input.setAttribute("aria-invalid", bad ? "true" : "false");
        if (value !== null && !Number.isNaN(value)) sum = (sum || 0) + value;
      });
      show(block.querySelector("output.area-sum"), sum);
      const areaInput = block.querySelector("input.area-points");
      const entered = areaInput ? tenths(areaInput) : null;
      const points = entered === null || Number.isNaN(entered) ? sum : entered;
      if (points !== null) total = (total || 0) + points;
    });
    const totalOutput = document.getElementById("areas-total");
    if (totalOutput) show(totalOutput, total);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const grid = document.getElementById("evaluation-grid");
    if (!grid) return;
    grid.addEventListener("input", function () {
      update(grid);
    });
    update(grid);
  });
})();

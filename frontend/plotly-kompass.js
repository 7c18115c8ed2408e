// The plotly.js bundle Kompass serves: only the traces it draws (scatter for lines,
// scatterpolar for the radar, bar) and the Swedish locale. 1.2 MB instead of the 5 MB full
// bundle, and nothing in it needs 'unsafe-eval'. Built by `npm run build` (see package.json).
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/scatter"),
  require("plotly.js/lib/scatterpolar"),
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/locales/sv"),
]);

window.Plotly = Plotly;

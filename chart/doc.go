// Package chart draws the charts and the map of the web pages and the
// session report as accessible, self-contained SVG: ranked bars, grouped
// bars, stacked bars, values over years and a tile-grid map of Russia's
// federal subjects. Output is deterministic (the same input gives the same
// bytes), every text is escaped, nothing is loaded from elsewhere, and every
// chart's root carries data-chart="…", role and a <title>.
package chart

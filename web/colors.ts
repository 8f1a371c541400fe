// Series colours of the charts. The browser tests find each series in the canvases by its colour, so
// keep them distinct from each other, darker-or-different than the axis text (#555), and coloured: the
// 2-D view's D(x) heatmap is drawn in greys.
export const COLORS = {
  real: "#2b7bb9",
  fake: "#d9622b",
  d: "#1a1a1a",
  dLoss: "#7b3fb5",
  gLoss: "#2f9e44",
  kl: "#c92a2a",
  modes: "#0b7285",
} as const;

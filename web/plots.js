// The two uPlot charts: the latest packet (x: index in the array) and the
// recent history (x: packet time in s, y: mean of each array). One series per
// array, colored alike in both and in the table.
import uPlot from "uplot";

export const COLORS = ["#1f77b4", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8",
                       "#0c8599", "#a61e4d", "#5c940d", "#862e9c", "#495057"];

const HEIGHT = 240;

function sizeOf(el) {
  return { width: Math.max(300, el.clientWidth), height: HEIGHT };
}

// Builds both charts for `arrays` series of `length` values in [min, max].
export function createPlots({ latestEl, historyEl, arrays, length, min, max }) {
  const series = Array.from({ length: arrays }, (_, i) => ({
    label: `array ${i}`, stroke: COLORS[i % COLORS.length], width: 1.5,
  }));
  const latest = new uPlot({
    ...sizeOf(latestEl),
    scales: { x: { time: false }, y: { range: [min, max] } },
    legend: { live: false },
    series: [{ label: "index" }, ...series],
    axes: [{ label: "index" }, {}],
  }, [[]], latestEl);
  const history = new uPlot({
    ...sizeOf(historyEl),
    scales: { y: { range: [min, max] } },
    legend: { live: false },
    series: [{}, ...series.map((s) => ({ ...s, spanGaps: false }))],
  }, [[]], historyEl);

  return {
    arrays, length,
    showLatest(values) {
      latest.setData([values[0].map((_, i) => i), ...values]);
    },
    showHistory(x, means) {
      history.setData([x, ...means]);
    },
    resize() {
      latest.setSize(sizeOf(latestEl));
      history.setSize(sizeOf(historyEl));
    },
    destroy() {
      latest.destroy();
      history.destroy();
    },
  };
}

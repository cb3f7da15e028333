// The two uPlot charts: the latest packet (x: index in the array) and the
// recent history (x: packet time in s, y: mean of each array). One series per
// array, colored alike in both and in the table. A stream's shape may change
// from packet to packet, so each chart rebuilds itself when its number of
// series or its y range changes, and takes arrays of any length.
import uPlot from "uplot";

export const COLORS = ["#1f77b4", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8",
                       "#0c8599", "#a61e4d", "#5c940d", "#862e9c", "#495057"];

const HEIGHT = 240;

function sizeOf(el) {
  return { width: Math.max(300, el.clientWidth), height: HEIGHT };
}

function seriesOf(count, extra = {}) {
  return Array.from({ length: count }, (_, i) => ({
    label: `array ${i}`, stroke: COLORS[i % COLORS.length], width: 1.5, ...extra,
  }));
}

// One chart in `el`, rebuilt by show() when the series count or `range`
// ([min, max], or null to fit the data) differs from what it was built for.
function chart(el, options) {
  let plot = null;
  let key = null;
  const build = (count, range) => {
    plot?.destroy();
    plot = new uPlot({
      ...sizeOf(el),
      scales: { x: { time: options.time }, y: range ? { range } : { auto: true } },
      legend: { live: false },
      series: [options.x, ...seriesOf(count, options.series)],
      axes: options.axes,
    }, [[]], el);
    key = `${count}|${range}`;
    el.dataset.series = count;
  };
  return {
    show(x, ys, range) {
      if (key !== `${ys.length}|${range}`) build(ys.length, range);
      plot.setData([x, ...ys]);
      el.dataset.points = x.length;
    },
    resize() { plot?.setSize(sizeOf(el)); },
  };
}

// `range`: the y range the source promises ([min, max]), or null to fit the data.
export function createPlots({ latestEl, historyEl }) {
  const latest = chart(latestEl, { time: false, x: { label: "index" }, axes: [{ label: "index" }, {}] });
  const history = chart(historyEl, { time: true, x: {}, series: { spanGaps: false } });
  return {
    // Arrays of any lengths: the x axis spans the longest, shorter ones end early.
    showLatest(arrays, range) {
      const n = arrays.reduce((m, a) => Math.max(m, a.length), 0);
      const x = Array.from({ length: n }, (_, i) => i);
      latest.show(x, arrays.map((a) => (a.length === n ? a : x.map((i) => a[i] ?? null))), range);
    },
    showHistory(x, means, range) {
      history.show(x, means, range);
    },
    resize() {
      latest.resize();
      history.resize();
    },
  };
}

// How far back the network looks (Karpathy, Johnson, Fei-Fei 2015, section 4.4): the size of the
// gradient of ln p(the character that came) with respect to each earlier input. The strip shows
// it for the character the reader is on, one cell per earlier character (darker: the prediction
// depended more on it); the curve, its mean by distance over the inspected text (uPlot).
import uPlot from 'uplot';
import { drawnSymbol, showSymbol, SCALE } from '../shared/inspect-scale.js';
import { formatNumber } from '../shared/format.js';

const MIDDLE = (SCALE.length - 1) / 2;

/** The strip: the characters before position t (chars: the text's), oldest first, shaded by sizes (nearest first). */
export function drawStrip(host, note, chars, t, sizes) {
  const doc = host.ownerDocument;
  const K = sizes.length;
  let max = 0;
  for (const x of sizes) max = Math.max(max, x);
  const cells = [];
  for (let k = K; k >= 1; k--) {
    const span = doc.createElement('span');
    span.textContent = drawnSymbol(chars[t - k]);
    const colour = SCALE[Math.round(MIDDLE + (max > 0 ? sizes[k - 1] / max : 0) * MIDDLE)];
    span.style.backgroundColor = colour.background;
    span.style.color = colour.color;
    span.title = `${k} back: ${sizes[k - 1].toPrecision(3)}`;
    cells.push(span);
  }
  const self = doc.createElement('span');
  self.className = 'why-reach-self';
  self.textContent = drawnSymbol(chars[t]);
  host.replaceChildren(...cells, self);
  const strongest = Array.from(sizes, (x, k) => [x, k + 1]).sort((a, b) => b[0] - a[0]).slice(0, 3)
    .map(([x, k]) => `“${showSymbol(chars[t - k])}” ${k} back`);
  note.textContent = K ? `What the prediction of “${showSymbol(chars[t])}” (character ${formatNumber(t + 1)}) ` +
    `depended on, over the ${K} characters before it: most on ${strongest.join(', ')}.`
    : 'The first character is predicted from the start alone: nothing before it to depend on.';
}

// A log axis's tick as text: powers of ten only (1, 0.1, 0.01, then 1e-3, 1e-4, ...; uPlot's own
// rounds the small ones to 0), the ticks between them unlabelled.
function powerOfTen(v) {
  const e = Math.round(Math.log10(v));
  if (!(v > 0) || Math.abs(v / 10 ** e - 1) > 1e-6) return '';
  return e >= -2 ? String(10 ** e) : `1e${e}`;
}

/** The curve by distance: one uPlot line, log scale (the gradient fades exponentially). */
export class ReachCurve {
  constructor(host) {
    this.host = host;
    this.plot = null;
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        const { width, height } = this.size();
        if (this.plot && width !== this.plot.width) this.plot.setSize({ width, height });
      }).observe(host);
    }
  }

  size() {
    const width = Math.max(200, Math.min(560, this.host.clientWidth || 300));
    return { width, height: Math.round(Math.min(220, width * 0.6)) };
  }

  /** An empty plot, drawn as soon as a model is known: the figure has its height before the curve comes. */
  frame() {
    if (!this.plot) this.show([]);
  }

  show(byDistance) {
    const xs = Array.from(byDistance, (_, k) => k + 1);
    const ys = Array.from(byDistance, (y) => (y > 0 ? y : null));
    const data = [xs, ys];
    if (!this.plot || this.plot.data[0].length !== xs.length) {
      this.plot?.destroy();
      this.plot = new uPlot({
        ...this.size(),
        cursor: { show: false },
        legend: { live: false },
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [
          { label: 'characters back', stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 30, labelSize: 18 },
          { label: 'gradient size', stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 50, labelSize: 18,
            values: (u, splits) => splits.map(powerOfTen) },
        ],
        series: [{}, { label: 'mean over the text', stroke: '#4f46e5', width: 2, points: { show: false } }],
      }, data, this.host);
      return;
    }
    this.plot.setData(data);
  }

  clear() {
    this.plot?.destroy();
    this.plot = null;
  }
}

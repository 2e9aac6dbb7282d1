// Gate saturation as the paper draws it (Karpathy, Johnson, Fei-Fei 2015, figure 3): per layer a
// scatter of the units, x the fraction of characters at which the gate is nearly shut (< 0.1), y
// the fraction at which it is nearly open (> 0.9), one series per gate. uPlot in its x-y mode.
import uPlot from 'uplot';

const GATE_COLOURS = ['#2563eb', '#db2777', '#16a34a', '#d97706'];

/** [null, [xs, ys] per gate] of layer l: its own units only (a narrower layer's stride is the widest). */
export function layerSeries(g, l) {
  const units = g.layerHidden[l];
  return [null, ...g.gateNames.map((_, s) => {
    const at = (l * g.gates + s) * g.hidden;
    return [Array.from(g.left.subarray(at, at + units)), Array.from(g.right.subarray(at, at + units))];
  })];
}

/** What the plots are made for: the same shape again only needs new points. */
const shapeOf = (g) => `${g.gateNames.join(',')}:${g.layerHidden.join(',')}`;

export class GatePlots {
  constructor(host) {
    this.host = host;
    this.plots = [];
    this.shape = '';
    this.layers = 0;
    // The plots follow the card's width (a phone turned, a window resized).
    if (typeof ResizeObserver === 'function') {
      let width = 0;
      new ResizeObserver(() => {
        if (!this.plots.length || this.host.clientWidth === width) return;
        width = this.host.clientWidth;
        const size = this.plotWidth(this.layers);
        for (const p of this.plots) p.setSize({ width: size, height: size });
      }).observe(host);
    }
  }

  /** [layer][gate]: how many points each series of each plot has. */
  pointCounts() {
    return this.plots.map((p) => p.data.slice(1).map(([xs]) => xs.length));
  }

  /**
   * Empty plots for a model of these layer widths (bottom first) and gate names, drawn as soon as
   * the model is known: the section has its height before the first figures come, so nothing
   * below it moves when they do (a message brought into view there stays in view).
   */
  frame(layerHidden, gateNames) {
    const g = { layers: layerHidden.length, layerHidden, gateNames };
    if (shapeOf(g) !== this.shape) this.build(g);
  }

  /** Draws GateSaturation g (charrnn.d.ts); one plot per layer, made again when the shape changes. */
  show(g) {
    if (shapeOf(g) !== this.shape) this.build(g);
    this.plots.forEach((plot, l) => plot.setData(layerSeries(g, l)));
  }

  /** The plots of a shape ({ layers, layerHidden, gateNames }), empty: show() gives them their points. */
  build(g) {
    this.clear();
    this.shape = shapeOf(g);
    this.layers = g.layers;
    const width = this.plotWidth(g.layers);
    for (let l = 0; l < g.layers; l++) {
      const box = document.createElement('div');
      box.className = 'why-gate-plot';
      box.setAttribute('role', 'img');
      box.setAttribute('aria-label', `Layer ${l + 1}: each of its ${g.layerHidden[l]} units is a point per gate ` +
        `(${g.gateNames.join(', ')}), across: how often the gate is nearly shut, up: how often nearly open.`);
      this.host.append(box);
      const options = {
        title: `Layer ${l + 1}`,
        mode: 2,
        width,
        height: width,
        cursor: { show: false },
        legend: { live: false },
        scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
        axes: [
          { label: 'fraction < 0.1 (shut)', stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 30, labelSize: 18 },
          { label: 'fraction > 0.9 (open)', stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 34, labelSize: 18 },
        ],
        series: [{}, ...g.gateNames.map((name, s) => ({
          label: `${name} gate`, stroke: GATE_COLOURS[s % GATE_COLOURS.length],
          fill: `${GATE_COLOURS[s % GATE_COLOURS.length]}99`,
          paths: uPlot.paths.points(), points: { show: false, size: 6, width: 1 },
        }))],
      };
      this.plots.push(new uPlot(options, [null, ...g.gateNames.map(() => [[], []])], box));
    }
  }

  /** Square plots, side by side while each can be 180 px or more, at most 300 px. */
  plotWidth(layers) {
    const available = Math.max(160, this.host.clientWidth || 300);
    const perRow = Math.max(1, Math.min(layers, Math.floor(available / 180)));
    return Math.floor(Math.min(300, (available - 8 * (perRow - 1)) / perRow));
  }

  clear() {
    for (const p of this.plots) p.destroy();
    this.plots = [];
    this.shape = '';
    this.host.replaceChildren();
  }
}

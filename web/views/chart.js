// The loss chart (uPlot): smoothed training loss and validation loss against iterations, in nats
// or bits per character. Points arrive a few times a second; redraws are batched into at most two
// a second, each in an animation frame.
import uPlot from 'uplot';
import { lossUnit, lossValue, formatLoss, formatNumber } from '../shared/format.js';
import { keptPoints } from './chart-points.js';
import { NO_TEXT_HELD_OUT } from './held-out.js';

// Beyond this, older points are thinned (chart-points.js). 2,000 is more than the plot has pixels
// across on any screen, and a chart at its limit is reached in about 8 minutes (4 reports a second):
// after that the tab's memory stays flat (bench/run soak).
const MAX_POINTS = 2000;
const SMOOTHING = 0.8; // weight of the past in the exponential moving average of the training loss
// Iterations are whole numbers: the x axis never ticks at 1.25.
const ITERATION_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10000, 100000, 1000000].map((p) => m * p))
  .sort((a, b) => a - b);
const MIN_REDRAW_MS = 500; // a redraw costs a few ms of the main thread: twice a second is live enough

export class LossChart {
  constructor(container) {
    this.container = container;
    this.bits = false;
    this.heldOut = true; // a model that holds no text out has no validation curve, and the legend says why
    this.clear();
    // A picture to a screen reader, described by its latest figures (describe()).
    container.setAttribute('role', 'img');
    this.plot = new uPlot(this.options(), this.displayData(), container);
    this.pending = false;
    this.lastDraw = 0;
    this.drawnPoints = 0;
    // The plot is sized to the box less the legend: either changing size resizes it.
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(container);
    this.observeLegend();
  }

  observeLegend() {
    this.observer.observe(this.plot.root.querySelector('.u-legend'));
  }

  options() {
    const unit = () => lossUnit(this.bits);
    return {
      width: Math.max(200, this.container.clientWidth),
      height: this.height(),
      scales: { x: { time: false }, y: { auto: true } },
      axes: [
        { label: 'iteration', stroke: '#57606a', grid: { stroke: '#eaeef2' }, incrs: ITERATION_STEPS },
        // As wide as its longest tick label needs (about 7 px a digit), not a fixed 56 px: on a
        // phone every pixel of width goes to the plot.
        { label: `loss (${unit()})`, stroke: '#57606a', grid: { stroke: '#eaeef2' }, labelSize: 22,
          size: (_, values) => 18 + 7 * Math.max(4, ...(values ?? []).map((v) => String(v).length)),
          values: (_, ticks) => ticks.map((t) => t.toFixed(2)) },
      ],
      series: [
        { label: 'iteration', value: (_, v) => (v == null ? '–' : String(Math.round(v))) },
        { label: 'training (smoothed)', stroke: '#4f46e5', width: 2, spanGaps: true, points: { show: false },
          value: (_, v) => (v == null ? '–' : v.toFixed(3)) },
        { label: 'validation', stroke: '#db2777', width: 2, spanGaps: true, points: { show: true, size: 6 },
          value: (_, v) => (!this.heldOut ? NO_TEXT_HELD_OUT : v == null ? '–' : v.toFixed(3)) },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
  }

  // The chart fills its box (which the card's layout sizes), less the legend under it.
  height() {
    const legend = this.plot?.root.isConnected ? this.plot.root.querySelector('.u-legend').offsetHeight : 30;
    return Math.max(160, this.container.clientHeight - legend - 8);
  }

  /** Forgets every point (a new model). */
  clear() {
    this.x = [];
    this.train = [];
    this.val = [];
    this.ema = null;
    this.drawnPoints = 0; // a new model's first points show at once too
    this.schedule();
  }

  /** Drops points after `iteration` (the model went back to an earlier snapshot). */
  truncate(iteration) {
    const keep = this.x.findIndex((x) => x > iteration);
    if (keep >= 0) {
      this.x.length = keep;
      this.train.length = keep;
      this.val.length = keep;
    }
    const lastTrain = [...this.train].reverse().find((v) => v != null);
    this.ema = lastTrain ?? null;
    this.schedule();
  }

  /** A training loss (nats) at an iteration; returns the smoothed value. */
  addTraining(iteration, loss) {
    if (!Number.isFinite(loss)) return this.smoothed();
    // The average starts at the first value, so the first points are not pulled towards zero.
    this.ema = this.ema == null ? loss : SMOOTHING * this.ema + (1 - SMOOTHING) * loss;
    this.push(iteration, this.smoothed(), null);
    return this.smoothed();
  }

  smoothed() {
    return this.ema;
  }

  addValidation(iteration, loss) {
    if (!Number.isFinite(loss)) return;
    this.push(iteration, null, loss);
  }

  push(iteration, train, val) {
    const n = this.x.length;
    if (n && this.x[n - 1] === iteration) {
      if (train != null) this.train[n - 1] = train;
      if (val != null) this.val[n - 1] = val;
    } else if (n && this.x[n - 1] > iteration) {
      return; // a report from before a reset or a reload: not part of this curve
    } else {
      this.x.push(iteration);
      this.train.push(train);
      this.val.push(val);
    }
    if (this.x.length > MAX_POINTS) this.thin();
    this.schedule();
  }

  // Halves the older points (chart-points.js says which); the curves keep their shape, the redraw stays cheap.
  thin() {
    const idx = keptPoints(this.val, MAX_POINTS);
    if (!idx) return;
    this.x = idx.map((i) => this.x[i]);
    this.train = idx.map((i) => this.train[i]);
    this.val = idx.map((i) => this.val[i]);
  }

  /**
   * The chart's text alternative: the latest smoothed training loss and validation loss with their
   * iterations, in the unit on show. Written with each redraw (at most twice a second).
   */
  describe() {
    const last = (values) => {
      for (let i = values.length - 1; i >= 0; i--) if (values[i] != null) return { at: this.x[i], loss: values[i] };
      return null;
    };
    const train = last(this.train);
    const val = last(this.val);
    const loss = (nats) => formatLoss(nats, { bits: this.bits, digits: 3 });
    const text = !train && !val ? 'Loss chart: no training yet.'
      : `Loss chart: iteration ${formatNumber(this.x.at(-1))}, ` +
        `training loss (smoothed) ${train ? loss(train.loss) : 'not measured yet'}, ` +
        (this.heldOut ? `validation loss ${val ? `${loss(val.loss)} at iteration ${formatNumber(val.at)}`
          : 'not measured yet'}.` : `no validation loss (${NO_TEXT_HELD_OUT}).`);
    if (this.container.getAttribute('aria-label') !== text) this.container.setAttribute('aria-label', text);
  }

  /** Whether the model holds text out (a new model may not): the legend and the description follow. */
  setHeldOut(heldOut) {
    if (heldOut === this.heldOut) return;
    this.heldOut = heldOut;
    this.describe();
    this.plot.setLegend(); // the legend's values again, with the new words
  }

  setBits(bits) {
    this.bits = bits;
    this.describe();
    // The axis label is part of the options: rebuild the plot with the same data.
    const options = this.options(); // sized while the old plot (and its legend) is still there
    this.observer.unobserve(this.plot.root.querySelector('.u-legend'));
    this.plot.destroy();
    this.plot = new uPlot(options, this.displayData(), this.container);
    this.observeLegend();
  }

  displayData() {
    const scale = (a) => (this.bits ? a.map((v) => (v == null ? null : lossValue(v, true))) : a);
    return [this.x, scale(this.train), scale(this.val)];
  }

  schedule() {
    if (!this.plot || this.pending) return;
    this.pending = true;
    // The first points of a curve show at once; after that, at most every MIN_REDRAW_MS.
    const wait = this.drawnPoints ? Math.max(0, this.lastDraw + MIN_REDRAW_MS - performance.now()) : 0;
    setTimeout(() => requestAnimationFrame(() => {
      this.pending = false;
      this.lastDraw = performance.now();
      this.drawnPoints = this.x.length;
      this.plot.setData(this.displayData());
      this.describe();
    }), wait);
  }

  resize() {
    const width = Math.max(200, this.container.clientWidth);
    const height = this.height();
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }
}

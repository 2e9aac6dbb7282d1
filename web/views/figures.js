// The figures under the chart: iteration, epoch, losses, perplexity, speed, learning rate. With
// the page's test hooks on (?test), the raw values also go into data attributes of #figures (in
// nats), which the browser tests read.
import { formatNumber, formatRate, lossUnit, formatLoss } from '../shared/format.js';
import { testData } from '../page/test-hooks.js';
import { NO_TEXT_HELD_OUT } from './held-out.js';

const cell = (id) => document.getElementById(id);

// Only text that changed is written: an unchanged figure costs no layout.
function put(id, text) {
  const el = cell(id);
  if (el.textContent !== text) el.textContent = text;
}

export class Figures {
  constructor() {
    this.root = cell('figures');
    this.bits = false;
    this.heldOut = true; // whether the model holds text out (has a validation loss)
    this.values = {};
    this.clear();
  }

  clear() {
    testData(this.root, Object.fromEntries(Object.keys(this.values).map((key) => [key, null])));
    this.values = {};
    this.render();
  }

  setBits(bits) {
    this.bits = bits;
    this.render();
  }

  /** Whether the model holds text out: one that holds none says so where its validation loss would be. */
  setHeldOut(heldOut) {
    this.heldOut = heldOut;
    this.render();
  }

  /** Merges new values: iteration, epoch, trainLoss, valLoss, valIteration, charsPerSec, msPerIter, learningRate, skipped. */
  update(values) {
    Object.assign(this.values, values);
    testData(this.root, values);
    this.render();
  }

  render() {
    const v = this.values;
    const loss = (x) => (Number.isFinite(x) ? formatLoss(x, { bits: this.bits, digits: 3, unit: false }) : '–');
    const unit = lossUnit(this.bits);
    put('fig-iteration', v.iteration != null ? formatNumber(v.iteration) : '–');
    put('fig-epoch', Number.isFinite(v.epoch) ? v.epoch.toFixed(2) : '–');
    put('fig-train-loss', loss(v.trainLoss));
    put('fig-val-loss', this.heldOut ? loss(v.valLoss) : NO_TEXT_HELD_OUT);
    cell('fig-val-loss').classList.toggle('absent', !this.heldOut);
    for (const el of this.root.querySelectorAll('.unit')) if (el.textContent !== unit) el.textContent = unit;
    // Perplexity of the validation slice when there is one: how many characters the model is
    // "choosing between" on text it has not trained on.
    const px = Number.isFinite(v.valLoss) ? v.valLoss : v.trainLoss;
    put('fig-perplexity', Number.isFinite(px) ? Math.exp(px).toFixed(2) : '–');
    put('fig-perplexity-note', !Number.isFinite(v.valLoss) && Number.isFinite(v.trainLoss) ? 'of the training loss' : '');
    put('fig-cps', Number.isFinite(v.charsPerSec) ? formatNumber(Math.round(v.charsPerSec)) : '–');
    put('fig-ms', Number.isFinite(v.msPerIter) ? v.msPerIter.toFixed(1) : '–');
    put('fig-lr', Number.isFinite(v.learningRate) ? formatRate(v.learningRate) : '–');
    // A model that holds no text out (validation None) has no validation loss: all its text trains.
    put('fig-val-note', !this.heldOut ? 'all of its text is training data'
      : v.valIteration != null && Number.isFinite(v.valLoss) ? `at iteration ${formatNumber(v.valIteration)}` : '');
    cell('fig-skipped').hidden = !v.skipped;
    put('fig-skipped', v.skipped ? `${formatNumber(v.skipped)} steps skipped (not finite)` : '');
  }
}

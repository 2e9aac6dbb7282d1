// The figures under the chart: iteration, epoch, losses, perplexity, speed, learning rate. The
// raw values also go into data attributes of #figures (in nats), which the browser tests read.
const LN2 = Math.log(2);
const number = new Intl.NumberFormat('en');

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
    this.values = {};
    this.clear();
  }

  clear() {
    this.values = {};
    for (const key of Object.keys(this.root.dataset)) if (key !== 'firstStepMs') delete this.root.dataset[key];
    this.render();
  }

  setBits(bits) {
    this.bits = bits;
    this.render();
  }

  /** Merges new values: iteration, epoch, trainLoss, valLoss, valIteration, charsPerSec, msPerIter, learningRate, skipped. */
  update(values) {
    Object.assign(this.values, values);
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined || value === null) delete this.root.dataset[key];
      else if (this.root.dataset[key] !== String(value)) this.root.dataset[key] = String(value);
    }
    this.render();
  }

  render() {
    const v = this.values;
    const loss = (x) => (Number.isFinite(x) ? (this.bits ? x / LN2 : x).toFixed(3) : '–');
    const unit = this.bits ? 'bits/char' : 'nats/char';
    put('fig-iteration', v.iteration != null ? number.format(v.iteration) : '–');
    put('fig-epoch', Number.isFinite(v.epoch) ? v.epoch.toFixed(2) : '–');
    put('fig-train-loss', loss(v.trainLoss));
    put('fig-val-loss', loss(v.valLoss));
    for (const el of this.root.querySelectorAll('.unit')) if (el.textContent !== unit) el.textContent = unit;
    // Perplexity of the validation slice when there is one: how many characters the model is
    // "choosing between" on text it has not trained on.
    const px = Number.isFinite(v.valLoss) ? v.valLoss : v.trainLoss;
    put('fig-perplexity', Number.isFinite(px) ? Math.exp(px).toFixed(2) : '–');
    put('fig-cps', Number.isFinite(v.charsPerSec) ? number.format(Math.round(v.charsPerSec)) : '–');
    put('fig-ms', Number.isFinite(v.msPerIter) ? v.msPerIter.toFixed(1) : '–');
    put('fig-lr', Number.isFinite(v.learningRate) ? formatRate(v.learningRate) : '–');
    put('fig-val-note', v.valIteration != null ? `at iteration ${number.format(v.valIteration)}` : '');
    cell('fig-skipped').hidden = !v.skipped;
    put('fig-skipped', v.skipped ? `${number.format(v.skipped)} steps skipped (not finite)` : '');
  }
}

function formatRate(lr) {
  return lr < 1e-3 || lr >= 1e3 ? lr.toExponential(2) : String(Number(lr.toPrecision(3)));
}

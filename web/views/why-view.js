// "Why it works", the last section of the Inside the network card: the three figures of Karpathy,
// Johnson and Fei-Fei (2015) on the model being trained and the text under the lens. The text can
// be coloured by how much better (or worse) the network did than an n-gram model on each character
// (why-ngram.js); the reach strip shows what the prediction of the character the reader is on
// depended on, and the curve the same by distance over the text (why-reach.js); the gate plots
// show how often each gate is shut or open (why-gates.js). The worker computes (web/worker/why.js),
// in small pieces between training chunks; this thread draws. Each figure follows the card's
// inspection: when the card refreshes (while on screen), so do they.
import { CALL, REPORT } from '../shared/worker-protocol.js';
import { formatNumber } from '../shared/format.js';
import { testData } from '../page/test-hooks.js';
import { ngramColouring, ngramSentences } from './why-ngram.js';
import { GatePlots } from './why-gates.js';
import { drawStrip, ReachCurve } from './why-reach.js';
import { layerSizes } from '../settings/hidden-sizes.js';

// Beyond 7 an n-gram does no better on tinyshakespeare (docs/why.md), and counting it takes seconds.
const ORDERS = [1, 2, 3, 4, 5, 6, 7];
const CURVE_PIECE_MS = 40; // the worker's share of one reach-curve piece, between training chunks (LOOP.chunkMs: 60)
const CURVE_DRAW_EVERY_MS = 1000; // the curve so far is drawn at most this often (and when done)

// The gates of each cell as the engine names them (core/model/cells/*.cpp): the plots are framed
// with them as soon as a model is known; the figures' own names replace them if they differ.
const GATES = { lstm: ['input', 'forget', 'output'], gru: ['reset', 'update'] };

const COMPARE = 'Colour the text by “better or worse than the n-gram model” to set the network against a ' +
  'Kneser-Ney n-gram model counted on the same training text.';
const PICK = 'Pick a character in the text above (hover, tap, or the arrow keys) to see what its prediction depended on.';

const SKELETON = `
  <h3 class="sub-heading" id="why-heading">Why it works</h3>
  <p class="hint">What the network does that a simpler model cannot (after “Visualizing and Understanding
    Recurrent Networks”, Karpathy, Johnson and Fei-Fei, 2015).</p>
  <div class="why-controls">
    <div class="field"><label for="why-colour">Colour the text by</label>
      <select id="why-colour"><option value="neuron">the neuron chosen above</option>
        <option value="vs-ngram">better or worse than the n-gram model</option></select></div>
    <div class="field"><label for="why-order">n-gram order</label><select id="why-order"></select></div>
  </div>
  <p class="why-ngram note" id="why-ngram-losses"></p>
  <p class="why-ngram note" id="why-ngram-shares"></p>
  <h4 class="why-title">Reach: what a prediction depends on</h4>
  <div class="why-reach-strip" id="why-reach-strip" aria-hidden="true"></div>
  <p class="note" id="why-reach-note"></p>
  <div class="why-figures">
    <figure class="why-figure">
      <div id="why-reach-curve" role="img" aria-label="The gradient's mean size by distance back"></div>
      <figcaption class="note" id="why-curve-note"></figcaption>
    </figure>
    <figure class="why-figure">
      <div id="why-gates" class="why-gates"></div>
      <figcaption class="note" id="why-gates-note"></figcaption>
    </figure>
  </div>`;

export class WhyView {
  /** call: the worker's (worker-life.js); inspector: the card (InspectView); bits(): the page's loss unit. */
  constructor(host, { call, inspector, bits }) {
    this.host = host;
    this.call = call;
    this.inspector = inspector;
    this.bits = bits;
    host.innerHTML = SKELETON; // static markup; every figure goes in as text
    const $ = (id) => host.querySelector(`#${id}`);
    this.ui = { colour: $('why-colour'), order: $('why-order'), losses: $('why-ngram-losses'),
      shares: $('why-ngram-shares'), strip: $('why-reach-strip'), stripNote: $('why-reach-note'),
      curveNote: $('why-curve-note'), gatesNote: $('why-gates-note') };
    this.gates = new GatePlots($('why-gates'));
    this.curve = new ReachCurve($('why-reach-curve'));
    this.session = 0; // bumps with every model: answers for an older one are dropped
    this.cell = null;
    this.shown = null; // the inspection on show: { text, chars, pActual, iteration }
    this.curveRun = null; // { id } of the curve under way
    // What the gate plots and the finished curve show ('iteration:text'): the same again is not recomputed.
    this.gatesOf = '';
    this.curveOf = '';
    this.curveIds = 0;
    this.position = -1; // the character the strip is asked for
    this.stripBusy = false;
    this.ngramAsk = 0;
    this.gatesAsk = 0;
    this.defaults = null;
    this.wire();
    this.showModel(null);
  }

  wire() {
    const { ui } = this;
    ui.colour.addEventListener('change', () => this.showNgram());
    ui.order.addEventListener('change', () => this.showNgram());
    this.inspector.onInspected = (r) => this.inspected(r);
    this.inspector.render.onShow = (i) => this.select(i);
  }

  /** The worker's reports (web/page/reports.js passes them all on). */
  onReport(m) {
    if (m.type === REPORT.session) {
      this.showModel(m.modelConfig);
    } else if (m.type === REPORT.state && !m.hasModel) {
      this.showModel(null);
    }
  }

  /** A new model (its modelConfig), or none (null). */
  showModel(config) {
    const cell = config?.cell ?? null;
    this.session++;
    this.cell = cell;
    this.shown = null;
    this.curveRun = null;
    this.gatesOf = this.curveOf = '';
    this.position = -1;
    const { ui } = this;
    ui.losses.textContent = cell ? COMPARE : '';
    ui.stripNote.textContent = cell ? PICK : '';
    ui.shares.textContent = ui.curveNote.textContent = '';
    ui.strip.replaceChildren();
    this.gates.clear();
    this.curve.clear();
    if (cell) this.curve.frame();
    if (GATES[cell]) this.gates.frame(layerSizes(config), GATES[cell]);
    ui.gatesNote.textContent = cell === 'rnn'
      ? 'A plain RNN has no gates: nothing saturates. (An LSTM or a GRU has; train one to see them here.)' : '';
    ui.colour.disabled = ui.order.disabled = !cell;
    ui.colour.value = 'neuron';
    this.inspector.render.setColouring(null);
    testData(this.host, { ngramOrder: null, ngramValLoss: null, ngramColoured: null, gatePoints: null, gates: null,
      gatesIteration: null, gatesMs: null, reachPosition: null, reachCells: null, curveMeasured: null, curveTotal: null,
      curvePieceMs: null, curvePositionMs: null, curveIteration: null, curve: null });
    if (cell && !this.defaults) this.loadDefaults();
  }

  async loadDefaults() {
    try {
      this.defaults = await this.call(CALL.whyDefaults);
    } catch {
      return; // the card says what went wrong when it inspects
    }
    const { order } = this.ui;
    order.replaceChildren(...ORDERS.filter((n) => n <= this.defaults.maxNgramOrder)
      .map((n) => new Option(String(n), String(n))));
    order.value = String(this.defaults.ngramOrder);
    if (this.shown) { // an inspection came first: its figures now
      this.showNgram();
      this.showCurve();
    }
  }

  /** The card drew an inspection (InspectView.refresh): the figures follow it. */
  inspected(r) {
    if (!this.cell) return;
    const sameText = this.shown?.text === r.text;
    // best: the card shows the best weights kept (inspection.js), which the figures then read too.
    this.shown = { text: r.text, chars: Array.from(r.text), pActual: r.pActual, iteration: r.iteration,
      best: r.weights?.which === 'best' };
    if (!sameText) {
      this.position = -1;
      this.ui.strip.replaceChildren();
      this.ui.stripNote.textContent = PICK;
      testData(this.host, { reachPosition: null, reachCells: null });
    }
    this.showNgram();
    this.showGates();
    this.showCurve();
    if (this.position >= 0) this.askStrip();
  }

  /** The colouring and the n-gram's figures, when the mode asks for them. */
  async showNgram() {
    const { ui } = this;
    const render = this.inspector.render;
    const shown = this.shown;
    const ask = ++this.ngramAsk; // an answer still under way for the mode before is dropped
    if (ui.colour.value !== 'vs-ngram' || !shown || !this.defaults) {
      render.setColouring(null);
      ui.losses.textContent = this.cell ? COMPARE : '';
      ui.shares.textContent = '';
      testData(this.host, { ngramOrder: null, ngramValLoss: null, ngramColoured: null });
      return;
    }
    const order = Number(ui.order.value);
    const session = this.session;
    if (!render.colouring) ui.losses.textContent = `Counting the ${order}-gram model on the training text…`;
    try {
      const r = await this.call(CALL.whyNgram, { text: shown.text, order, pNet: shown.pActual.slice() });
      if (ask !== this.ngramAsk || session !== this.session || shown !== this.shown) return;
      const colouring = ngramColouring(order, shown.pActual, r.pNgram);
      render.setColouring(colouring);
      const [losses, shares] = ngramSentences(r, { pNet: shown.pActual, bits: this.bits() });
      ui.losses.textContent = losses;
      ui.shares.textContent = shares;
      testData(this.host, { ngramOrder: order, ngramValLoss: r.valLoss, ngramCountMs: r.countMs.toFixed(1),
        ngramColoured: colouring.values.filter((v) => Number.isFinite(v)).length });
    } catch (e) {
      if (ask === this.ngramAsk && e?.name !== 'EngineCrash') ui.losses.textContent = `No n-gram model: ${e?.message ?? e}`;
    }
  }

  async showGates() {
    if (this.cell === 'rnn' || !this.shown) return;
    const { session, shown } = this;
    const of = `${shown.iteration}:${shown.best}:${shown.text}`;
    if (of === this.gatesOf) return; // paused, the same text: the same figures
    const ask = ++this.gatesAsk;
    try {
      const g = await this.call(CALL.whyGates, { text: shown.text, iteration: shown.iteration, best: shown.best });
      if (ask !== this.gatesAsk || session !== this.session) return;
      this.gates.show(g);
      this.gatesOf = of;
      const points = this.gates.pointCounts(); // what the plots were given: [layer][gate]
      this.ui.gatesNote.textContent = `Gate saturation at iteration ${formatNumber(g.iteration)}, over the ` +
        `${formatNumber(g.chars)} characters above: each point is a unit, across how often its gate is nearly shut ` +
        `(< 0.1), up how often nearly open (> 0.9).`;
      const round = (a) => Array.from(a, (x) => Number(x.toFixed(6)));
      testData(this.host, { gatesIteration: g.iteration, gatesMs: g.ms.toFixed(1), gatePoints: JSON.stringify(points),
        gates: JSON.stringify({ gateNames: g.gateNames, layerHidden: g.layerHidden, hidden: g.hidden, chars: g.chars,
          left: round(g.left), right: round(g.right) }) });
    } catch (e) {
      if (ask === this.gatesAsk && e?.name !== 'EngineCrash') this.ui.gatesNote.textContent = `No gate plot: ${e?.message ?? e}`;
    }
  }

  /** The reach curve over the text on show, a piece at a time; one at a time (a newer inspection waits for it). */
  async showCurve() {
    if (this.curveRun || !this.shown || !this.defaults) return;
    const { session, shown } = this;
    const of = `${shown.iteration}:${shown.best}:${shown.text}`;
    if (of === this.curveOf) return;
    const run = { id: ++this.curveIds };
    this.curveRun = run;
    let maxPieceMs = 0;
    let drawn = -Infinity;
    try {
      for (;;) {
        const r = await this.call(CALL.whyReachCurve, { id: run.id, text: shown.text, iteration: shown.iteration, best: shown.best,
          maxDistance: this.defaults.reachDistance, budgetMs: CURVE_PIECE_MS });
        if (session !== this.session || this.curveRun !== run) return;
        maxPieceMs = Math.max(maxPieceMs, r.pieceMs);
        testData(this.host, { curveMeasured: r.measured, curveTotal: r.total, curvePieceMs: maxPieceMs.toFixed(1),
          curvePositionMs: r.positionMs.toFixed(2), curveIteration: r.iteration,
          curve: r.done ? JSON.stringify(Array.from(r.byDistance)) : null });
        if (!r.done && performance.now() - drawn < CURVE_DRAW_EVERY_MS) continue;
        drawn = performance.now();
        this.curve.show(r.byDistance);
        this.ui.curveNote.textContent = `The gradient's mean size by distance back, over ${r.measured} of ` +
          `${r.total} positions of the text above (iteration ${formatNumber(r.iteration)}). Where it fades is how far ` +
          'back the network looks.';
        if (r.done) {
          this.curveOf = of;
          break;
        }
      }
    } catch (e) {
      if (session === this.session && e?.name !== 'EngineCrash') this.ui.curveNote.textContent = `No reach curve: ${e?.message ?? e}`;
    } finally {
      if (this.curveRun === run) this.curveRun = null;
    }
    // The card moved on meanwhile: the curve of the newest inspection.
    if (session === this.session && this.shown && this.shown.iteration !== shown.iteration) this.showCurve();
  }

  /** The panel describes character i (hover, tap, keyboard): its reach strip follows. */
  select(i) {
    if (i < 0 || !this.shown || !this.cell || i === this.position) return;
    this.position = i;
    this.askStrip();
  }

  /** One strip request at a time; the latest position is asked next. */
  async askStrip() {
    if (this.stripBusy || !this.defaults) return;
    this.stripBusy = true;
    const { session } = this;
    try {
      while (this.position >= 0 && session === this.session) {
        const { position, shown } = this;
        const r = await this.call(CALL.whyReachAt, { text: shown.text, position, iteration: shown.iteration, best: shown.best,
          maxDistance: this.defaults.reachDistance });
        if (session !== this.session) break;
        if (shown !== this.shown) continue; // a newer inspection: its weights, for the position wanted now
        drawStrip(this.ui.strip, this.ui.stripNote, shown.chars, position, r.sizes);
        testData(this.host, { reachPosition: position, reachCells: r.sizes.length, reachMs: r.ms.toFixed(1) });
        if (position === this.position) break;
      }
    } catch (e) {
      if (session === this.session && e?.name !== 'EngineCrash') {
        this.ui.strip.replaceChildren();
        this.ui.stripNote.textContent = `No reach strip: ${e?.message ?? e}`;
      }
    } finally {
      this.stripBusy = false;
    }
  }
}

// The trainer page's "Inside the network" card: a text (an excerpt of the validation text, or the
// reader's own) coloured by one neuron of the model being trained (its latest weights, or its best
// when those are better), the model's top guesses for each next character, a surprise strip, the
// cells by name (the seeds' properties, each by its best unit), and a search for interpretable
// neurons. The worker does
// the inspecting (between training chunks) and transfers the arrays; this thread only draws them
// (inspect-render.js). While training, the card refreshes itself every few seconds, but only
// while it is on screen and the tab is visible, so the reader watches neurons specialise.
import { InspectRender } from '../shared/inspect-render.js';
import { rankingBlocks } from './neuron-rankings.js';
import { namedCellButtons, bestUnitOf } from './named-cells.js';
import { INSPECT } from '../settings/defaults.js';
import { layerSizes } from '../settings/hidden-sizes.js';

const $ = (id) => document.getElementById(id);
const neuronKey = ({ layer, unit, cellState }) => `${layer}:${unit}:${cellState ? 'c' : 'h'}`;
const DRAW_MEASURE = 'inside the network: draw';
import { formatNumber } from '../shared/format.js';
import { NO_TEXT_HELD_OUT } from './held-out.js';
import { CALL, REPORT } from '../shared/worker-protocol.js';

/** Resolves after the next frame has been drawn. */
function afterNextFrame() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  });
}

export class InspectView {
  /** call(name, ...args) calls the worker (web/page/worker-life.js's call, which survives a worker restart). */
  constructor({ call }) {
    this.call = call;
    this.card = $('inspect-card');
    this.ui = {
      text: $('inspect-text'), layer: $('inspect-layer'), unit: $('inspect-neuron'), state: $('inspect-state'),
      refresh: $('inspect-refresh'), find: $('inspect-find'), status: $('inspect-status'), meta: $('inspect-meta'),
      timing: $('inspect-timing'), found: $('inspect-found'), foundList: $('inspect-found-list'),
      foundHeading: $('inspect-found-heading'), defaultText: $('inspect-default-text'), cells: $('inspect-cells'),
    };
    this.render = new InspectRender($('inspect-view'), { label: 'Inspected text' });
    // A tap on a character: its top guesses show below the text, on a phone often below the fold.
    $('inspect-view').addEventListener('click', (e) => {
      if (!e.target.closest('.ir-text')) return;
      const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
      this.render.ui.top.closest('.ir-panel').scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    });
    this.model = null; // { layers, hidden, hasCellState } of the model in the worker
    this.session = 0; // bumps with every new model: answers for an older one are dropped
    this.running = false;
    this.iteration = 0; // the model's latest iteration, from the worker's reports
    this.shownIteration = null; // the iteration of what is drawn (null: nothing drawn)
    this.dirty = true; // the text or the model changed since the last inspection
    this.busy = false;
    this.queued = null; // { rank } asked while busy
    this.lastDone = 0;
    this.timer = 0;
    this.onScreen = false;
    this.refreshes = 0;
    this.inspectionId = null; // the worker's id of the inspection on show
    this.neuronAsks = 0;
    this.rankings = null; // the ranking of the inspection on show
    this.cell = null; // the property of the cells by name on show (its best unit colours the text), or null
    this.ui.text.maxLength = INSPECT.maxChars;
    this.wire();
    this.showModel(null);
  }

  wire() {
    const { ui } = this;
    ui.refresh.addEventListener('click', () => this.refresh());
    ui.find.addEventListener('click', () => this.refresh({ rank: true }));
    let typing = 0;
    ui.text.addEventListener('input', () => {
      this.showRankingsStale(); // the list was ranked on the text that was there
      clearTimeout(typing);
      typing = setTimeout(() => {
        this.dirty = true;
        this.schedule();
      }, INSPECT.typingDebounceMs);
    });
    const neuronChanged = () => {
      const neuron = this.readNeuron();
      if (neuron) this.useNeuron(neuron, { controls: false, cell: null });
    };
    // The cells by name step with the arrow keys too (each button also takes Tab and Enter).
    ui.cells.addEventListener('keydown', (e) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      const buttons = [...ui.cells.querySelectorAll('button:not(:disabled)')];
      const at = buttons.indexOf(document.activeElement);
      if (!step || at < 0) return;
      e.preventDefault();
      const next = buttons[(at + step + buttons.length) % buttons.length];
      next.focus();
      next.click();
    });
    ui.layer.addEventListener('change', () => {
      if (this.model) this.fitUnitToLayer();
      neuronChanged();
    });
    ui.state.addEventListener('change', neuronChanged);
    ui.unit.addEventListener('input', neuronChanged);
    ui.unit.addEventListener('change', () => {
      const neuron = this.readNeuron();
      if (neuron) ui.unit.value = String(neuron.unit + 1); // clamped into range
    });
    if (typeof IntersectionObserver === 'function') {
      new IntersectionObserver((entries) => {
        this.onScreen = entries.at(-1).isIntersecting;
        this.schedule();
      }).observe(this.card);
    } else {
      this.onScreen = true;
    }
    document.addEventListener('visibilitychange', () => this.schedule());
  }

  /** The worker's reports (web/page/reports.js passes them all on). */
  onReport(m) {
    switch (m.type) {
      case REPORT.session:
        this.session++;
        this.iteration = m.iteration;
        this.showModel({ layers: m.modelConfig.layers, layerHidden: layerSizes(m.modelConfig),
          hasCellState: m.modelConfig.cell === 'lstm', heldOut: m.valChars > 0 });
        break;
      case REPORT.state:
        this.running = m.running;
        this.iteration = m.iteration;
        if (!m.hasModel && this.model) {
          this.session++;
          this.showModel(null);
        }
        break;
      case REPORT.progress:
        this.iteration = m.iteration;
        return; // the timer picks it up
      default:
        return;
    }
    this.schedule();
  }

  /** A new model (or none): the neuron controls fit it, and the view empties until inspected. */
  showModel(model) {
    const { ui } = this;
    this.model = model;
    this.shownIteration = null;
    this.inspectionId = null;
    delete this.card.dataset.neuron;
    this.dirty = true;
    this.render.clear();
    ui.found.hidden = true;
    ui.foundList.replaceChildren();
    this.rankings = null;
    this.showCells();
    ui.timing.textContent = '';
    ui.meta.textContent = '';
    this.setStatus(model ? '' : 'No model yet: this fills in once a model trains.');
    for (const el of [ui.refresh, ui.find, ui.layer, ui.unit, ui.state]) el.disabled = !model;
    // What an empty box inspects: the validation text, or the training text when none is held out.
    const defaultText = !model || model.heldOut ? 'the validation text'
      : `an excerpt of the training text (${NO_TEXT_HELD_OUT})`;
    ui.text.placeholder = `Empty: ${defaultText}`;
    ui.defaultText.textContent = defaultText;
    if (!model) return;
    const layer = Math.min(Number(ui.layer.value) || 1, model.layers);
    ui.layer.replaceChildren(...Array.from({ length: model.layers }, (_, l) => new Option(String(l + 1), String(l + 1))));
    ui.layer.value = String(layer);
    this.fitUnitToLayer();
    const c = ui.state.querySelector('option[value="c"]');
    c.disabled = !model.hasCellState;
    if (!model.hasCellState) ui.state.value = 'h';
    ui.state.title = model.hasCellState ? '' : 'Only an LSTM has a cell state';
  }

  /** The Neuron control's range is the chosen layer's own units (layers may differ in size). */
  fitUnitToLayer() {
    const { ui, model } = this;
    const units = model.layerHidden[Math.max(0, Math.min(model.layers - 1, Number(ui.layer.value) - 1))];
    ui.unit.max = String(units);
    ui.unit.value = String(Math.min(Number(ui.unit.value) || 1, units));
  }

  /** The neuron the controls name, counted from 0 and clamped to the model; null if unreadable. */
  readNeuron() {
    const { ui, model } = this;
    const unit = Math.round(Number(ui.unit.value));
    if (!model || ui.unit.value === '' || !Number.isFinite(unit)) return null;
    const layer = Math.max(0, Math.min(model.layers - 1, Number(ui.layer.value) - 1));
    return { layer, unit: Math.max(0, Math.min(model.layerHidden[layer] - 1, unit - 1)),
      cellState: ui.state.value === 'c' && model.hasCellState };
  }

  /**
   * Colours the text by `neuron` (and, with controls, sets the controls to it): its activations
   * over the text on show come from the worker, which keeps every unit's.
   */
  async useNeuron(neuron, { controls = true, cell = this.cell } = {}) {
    const { ui } = this;
    if (cell !== this.cell) {
      this.cell = cell;
      this.showCells();
    }
    if (controls) {
      ui.layer.value = String(neuron.layer + 1);
      ui.unit.value = String(neuron.unit + 1);
      ui.state.value = neuron.cellState ? 'c' : 'h';
    }
    const key = neuronKey(neuron);
    for (const b of ui.foundList.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.neuron === key));
    const ask = ++this.neuronAsks;
    if (this.inspectionId === null || this.busy) return; // the inspection under way brings the neuron asked now
    try {
      const answer = await this.call(CALL.inspectedNeuron, { id: this.inspectionId, ...neuron });
      if (ask !== this.neuronAsks) return; // another neuron was picked meanwhile
      if (answer && answer.id === this.inspectionId) this.showNeuron(answer.neuron, answer.activations);
      else this.refresh(); // that inspection is gone (a newer model): inspect again
    } catch (e) {
      if (e?.name !== 'EngineCrash') this.setStatus(`Nothing to show: ${e?.message ?? e}`, 'error');
    }
  }

  showNeuron(neuron, activations) {
    this.render.setNeuron(neuron, activations);
    this.card.dataset.neuron = neuronKey(neuron);
  }

  get visible() {
    return this.onScreen && document.visibilityState === 'visible';
  }

  /** Refreshes now if something changed, or sets the timer for the next refresh while training. */
  schedule() {
    clearTimeout(this.timer);
    if (!this.model || this.busy || !this.visible) return;
    if (this.dirty || (!this.running && this.iteration !== this.shownIteration)) {
      this.refresh();
    } else if (this.running) {
      const wait = Math.max(0, this.lastDone + INSPECT.refreshEveryMs - performance.now());
      this.timer = setTimeout(() => this.refresh(), wait);
    }
  }

  setStatus(text, kind = '') {
    this.ui.status.textContent = text;
    this.ui.status.dataset.kind = kind;
  }

  /**
   * Inspects the text with the current weights (and ranks the neurons with { rank: true }), then
   * draws it. One request at a time; a request made meanwhile runs after it.
   */
  async refresh({ rank = false } = {}) { // rank: show the full list of interpretable neurons
    if (!this.model) return;
    if (this.busy) {
      this.queued = { rank: rank || !!this.queued?.rank };
      return;
    }
    clearTimeout(this.timer);
    this.busy = true;
    this.dirty = false;
    const session = this.session;
    const { ui } = this;
    const text = ui.text.value;
    this.card.setAttribute('aria-busy', 'true');
    if (rank) this.setStatus('Ranking every neuron…');
    const t0 = performance.now();
    const asks = this.neuronAsks;
    try {
      // A cell by name: its best unit on this text with these weights (known once they are ranked).
      const r = await this.call(CALL.inspect, { text, neuron: this.readNeuron() ?? undefined });
      if (session !== this.session) return;
      const t1 = performance.now();
      this.inspectionId = r.id;
      this.card.dataset.neuron = neuronKey(r.neuron);
      this.card.dataset.weights = r.weights.which;
      const drawn = this.render.set(r);
      this.rankings = r.rankings;
      this.showCells();
      if (rank || !ui.found.hidden) this.showRankings(r);
      this.followCell();
      this.onInspected?.(r); // "Why it works" (why-view.js) follows the inspection
      this.showMeta(r);
      const t2 = performance.now();
      // For the profiler; only the latest is kept (the page's timeline would hold every refresh's).
      performance.clearMeasures?.(DRAW_MEASURE);
      performance.measure?.(DRAW_MEASURE, { start: t1, end: t2 });
      await drawn; // a new text goes on the page over a few frames
      await afterNextFrame();
      if (session !== this.session) return;
      // Timing: the whole refresh (click or timer to drawn on screen), the engine's share in the
      // worker, and this thread's drawing code in the task that received the answer.
      this.showTiming({ total: performance.now() - t0, engine: r.inspectMs + r.rankMs, draw: t2 - t1,
        chars: r.chars, iteration: r.iteration });
      this.shownIteration = r.iteration;
      this.setStatus('');
      // A neuron picked while the worker was inspecting: its activations now.
      const wanted = this.readNeuron();
      if (asks !== this.neuronAsks && wanted && neuronKey(wanted) !== neuronKey(r.neuron)) {
        queueMicrotask(() => this.useNeuron(wanted, { controls: false }));
      }
    } catch (e) {
      if (session !== this.session) return;
      if (e?.name === 'EngineCrash') this.setStatus('');
      else this.setStatus(`Nothing to show: ${e?.message ?? e}`, 'error');
    } finally {
      this.busy = false;
      this.lastDone = performance.now();
      this.card.removeAttribute('aria-busy');
      const queued = this.queued;
      this.queued = null;
      if (queued && session === this.session) this.refresh(queued);
      else this.schedule();
    }
  }

  showMeta(r) {
    const name = r.textName ?? 'the training text';
    const what = r.source === 'custom' ? 'your text'
      : r.source === 'training' ? `an excerpt of the training text ${name} (${NO_TEXT_HELD_OUT})`
        : `an excerpt of the validation text of ${name}`;
    // The best weights when they beat the latest (the latest validation was worse): said, with both.
    const weights = r.weights.which === 'best'
      ? `Best weights, iteration ${formatNumber(r.weights.iteration)} (the latest, ${formatNumber(r.iteration)}, ` +
        'validate worse)'
      : `Latest weights, iteration ${formatNumber(r.iteration)}`;
    this.ui.meta.textContent = `${weights} · ${what}, ${formatNumber(r.chars)} characters`;
    this.card.dataset.weightsIteration = String(r.weights.iteration);
  }

  /** The cells by name, from the ranking on show (pressed: the one colouring the text). */
  showCells() {
    const { ui } = this;
    const focused = ui.cells.contains(document.activeElement) ? document.activeElement.dataset.property : null;
    ui.cells.replaceChildren(...namedCellButtons(INSPECT.namedCells, this.rankings, this.cell,
      (name) => this.showCell(name)));
    if (focused) ui.cells.querySelector(`[data-property="${CSS.escape(focused)}"]`)?.focus();
  }

  /** Colours the text by the best unit of property `name` (and keeps to that property across refreshes). */
  showCell(name) {
    this.cell = name;
    this.followCell();
  }

  /** With a cell by name chosen: its best unit in the ranking on show colours the text. */
  followCell() {
    if (!this.cell) return;
    const neuron = bestUnitOf(this.rankings, this.cell);
    if (!neuron) return; // not ranked yet, or constant over this text: the text stays as it is
    this.showCells();
    const current = this.readNeuron();
    if (!current || neuronKey(current) !== neuronKey(neuron) || this.card.dataset.neuron !== neuronKey(neuron)) {
      this.useNeuron(neuron, { cell: this.cell });
    }
  }

  /** Opens on the cell of property `name` (a pretrained model's own: see PRESETS' cell). */
  openOn(name) {
    this.showCell(name);
  }

  showTiming({ total, engine, draw, chars, iteration }) {
    const d = this.card.dataset;
    d.refreshMs = total.toFixed(1);
    d.inspectMs = engine.toFixed(1);
    d.renderMs = draw.toFixed(1);
    d.chars = String(chars);
    d.iteration = String(iteration);
    d.refreshes = String(++this.refreshes);
    this.ui.timing.textContent = `Refreshed in ${Math.round(total)} ms for ${formatNumber(chars)} characters ` +
      `(the engine ${Math.round(engine)} ms, drawing ${Math.round(draw)} ms).`;
  }

  /** "Find interpretable neurons": per property, its best units and their r; each one a button. */
  showRankings(r) {
    const { ui } = this;
    const blocks = rankingBlocks(r.rankings, (neuron) => this.useNeuron(neuron, { cell: null }));
    ui.foundList.replaceChildren(...blocks);
    ui.foundHeading.textContent = `Neurons that track simple properties of this text (iteration ` +
      `${formatNumber(r.iteration)}; |r| near 1 tracks closely)`;
    ui.found.hidden = false;
    const current = this.readNeuron();
    if (current) this.useNeuron(current, { controls: false });
  }

  /** The text under the lens changed since the ranking: its list spoke of another text. */
  showRankingsStale() {
    if (this.ui.found.hidden || !this.ui.foundList.childElementCount) return;
    this.ui.foundList.replaceChildren();
    this.ui.foundHeading.textContent = 'The text changed: press Find interpretable neurons to rank the neurons ' +
      'on this one.';
  }
}

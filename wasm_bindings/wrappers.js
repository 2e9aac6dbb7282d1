// Thin wrappers over the engine's Embind handles: arguments checked (arguments.js), results
// copied out of WASM memory, errors as CharRnnErrors (errors.js). All logic is in core/.
import { bytesArg, settingsArg, stepsArg, stringArg, textArg, wholeNumber } from './arguments.js';
import { CharRnnError, callEngine } from './errors.js';
import { ParallelTraining } from './shard_helpers.js';

const disposed = (what) => new CharRnnError(`The ${what} was disposed: make a new one.`, 'usage');

export class Sampler {
  #handle;
  #defaults;
  constructor(handle, defaults) { this.#handle = handle; this.#defaults = defaults; }
  get #live() {
    if (!this.#handle) throw disposed('sampler');
    return this.#handle;
  }
  /** Resets the state and feeds the priming text (every character must be in the vocabulary). */
  prime(text) { callEngine(() => this.#live.prime(text)); }
  /** Like prime(), but leaves out characters outside the vocabulary; returns them (a string, '' if none). */
  primeKnown(text) { return callEngine(() => this.#live.primeKnown(text)); }
  /** The next n characters. */
  next(n = 1) { return callEngine(() => this.#live.next(wholeNumber('number of characters', n, 0, 1e7))); }
  setSettings(settings) { callEngine(() => this.#live.setSettings(settingsArg(this.#defaults, settings))); }
  /** Probabilities of the next character (a copy, indexed like `vocab`). */
  probabilities() { return this.#live.probabilities().slice(); }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

// What a loaded Model and a Trainer both do with their network: sample and look inside. The
// engine's SamplingModel and TrainingSession have these methods under the same names.
class ModelBase {
  #handle;
  #defaults; // the engine's sampling defaults
  #what; // 'model' or 'trainer', for messages
  #marksGivenText; // sampleLines() marks lines against options.text (a Model; a Trainer uses its own text)
  constructor(handle, sampleDefaults, what, { marksGivenText = false } = {}) {
    this.#handle = handle;
    this.#what = what;
    this.#defaults = sampleDefaults;
    this.#marksGivenText = marksGivenText;
    this.vocab = Array.from(handle.vocabText());
    this.parameters = handle.parameterCount();
  }
  /** The engine handle for a call (Trainer: refused while a step is out in its helpers). */
  _handle() {
    if (!this.#handle) throw disposed(this.#what);
    return this.#handle;
  }
  /** A character stream: sampler.prime(text); sampler.next(n). Dispose it when done. */
  sampler(settings = {}) {
    return new Sampler(callEngine(() => this._handle().sampler(settingsArg(this.#defaults, settings))), this.#defaults);
  }
  /** A whole sample: { prime, length, temperature, argmax, topK, seed }. */
  sample({ prime = '', length = 200, ...settings } = {}) {
    wholeNumber('sample length', length, 0, 1e7);
    const sampler = this.sampler(settings);
    try {
      sampler.prime(prime);
      return sampler.next(length);
    } finally {
      sampler.dispose();
    }
  }
  /**
   * `count` whole lines, each from the start context to its line break: [{ text, complete, fromText }],
   * sampled and marked by the engine (core/generation/line_sampler.h).
   */
  sampleLines({ count = 5, maxChars = 200, prime = '', text = '', ...settings } = {}) {
    wholeNumber('number of lines', count, 1, 10000);
    wholeNumber('line length cap', maxChars, 1, 100000);
    stringArg('priming text', prime);
    const markAgainst = this.#marksGivenText ? [stringArg('text to mark lines against', text)] : [];
    return callEngine(() => this._handle().sampleLines(count, settingsArg(this.#defaults, settings), maxChars, prime,
      ...markAgainst));
  }
  /** Per character of `text`: top-k next characters, p(actual), activations. See charrnn.d.ts. */
  inspect(text, { topK = 5 } = {}) {
    stringArg('text to inspect', text);
    wholeNumber('top-k', topK, 1, this.vocab.length);
    const r = callEngine(() => this._handle().inspect(text, topK));
    return { chars: r.chars, topK: r.topK, layers: r.layers, hidden: r.hidden, layerHidden: r.layerHidden,
      hasCellState: r.hasCellState,
      text: Array.from(text), ids: r.ids.slice(), topIds: r.topIds.slice(), topProbs: r.topProbs.slice(),
      pActual: r.pActual.slice(), h: r.h.slice(), c: r.c.slice() };
  }
  /** Units ranked by how well they track simple properties of the last inspected text. */
  rankNeurons(perProperty = 5) {
    wholeNumber('number of neurons per property', perProperty, 1, 1000);
    return callEngine(() => this._handle().rankNeurons(perProperty));
  }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

/** A model file loaded for sampling and inspection. */
export class Model extends ModelBase {
  constructor(handle, sampleDefaults) {
    super(handle, sampleDefaults, 'model', { marksGivenText: true });
    this.config = handle.config();
    /** Trained on whole lines (TrainConfig.lines): its samples are lines. */
    this.lines = handle.lines();
  }
}

export class Trainer extends ModelBase {
  #parallel;
  constructor(handle, defaults, helpers) {
    super(handle, defaults.sample, 'trainer');
    this.#parallel = new ParallelTraining(() => super._handle(), helpers);
  }
  // While a trainInParallel() step is out in the helpers, the trainer is half-way through it:
  // evaluating, saving or stepping then would read or write the step's own buffers.
  _handle() {
    if (this.#parallel.stepping) throw new CharRnnError('The trainer is in the middle of trainInParallel(): await it first.', 'usage');
    return super._handle();
  }
  /**
   * Runs up to `steps` training steps (stopping early after `maxMs` milliseconds, or when the run
   * blows up: `diverged`). loss is the mean over the applied steps, in nats/char (NaN if none).
   */
  train(steps = 1, { maxMs = Infinity } = {}) {
    stepsArg(steps, maxMs);
    return this.#withProgress(callEngine(() => this._handle().train(steps, maxMs / 1000)));
  }
  /**
   * Like train(), with shards 2.. of every step in helper workers: the same model as train()
   * gives, bit for bit. The first call starts the helpers in the background and trains here
   * meanwhile (so the first steps do not wait for them). If a helper stops (or cannot start), its
   * shard runs here, the other helpers are stopped, and training goes on in this thread: the
   * summary says why once, in threadError. With one thread this is train().
   */
  async trainInParallel(steps = 1, { maxMs = Infinity } = {}) {
    this._handle();
    stepsArg(steps, maxMs);
    const timing = await this.#parallel.train(steps, maxMs);
    if (!timing) return { ...this.train(steps, { maxMs }), threadError: this.#parallel.takeThreadError() };
    return { ...this.#withProgress(callEngine(() => this._handle().takeSummary())),
      threadError: this.#parallel.takeThreadError(), timing };
  }
  #withProgress(summary) {
    return { ...summary, iteration: this.iteration, epoch: this.epoch, learningRate: this.learningRate };
  }
  /** Resolves when the helper workers are running (or could not start); trainInParallel starts them. */
  async helpersReady() { await this.#parallel.start(); }
  /** The number of shards each batch is split into (createTrainer's threads). */
  get threads() { return super._handle().shards(); }
  /** How many helper workers run shards now (0 until trainInParallel starts them, or after they stopped). */
  get helperThreads() { return this.#parallel.helperThreads; }

  /** Mean validation loss (nats/char) over at most maxChars of the validation text (omitted: all); NaN if none. */
  evaluate(maxChars) {
    if (maxChars !== undefined) wholeNumber('number of validation characters', maxChars);
    return callEngine(() => this._handle().evaluate(maxChars ?? -1));
  }
  /** Offers the current weights as the rollback point, with their validation loss; true if taken. */
  markGood(valLoss) { return callEngine(() => this._handle().markGood(valLoss)); }
  /** Returns to the rollback point: { iteration, valLoss, learningRate, suggestedLearningRate }. */
  rollBack() { return callEngine(() => this._handle().rollBack()); }
  /** Sets the rate now (under a time budget, the schedule's curve scales so that it is lr now). */
  setLearningRate(lr) { callEngine(() => this._handle().setLearningRate(lr)); }
  /**
   * Trains for a time budget (core/training/schedule.h): `minutes` above 0, the rate falls along half
   * a cosine to its floor as the budget ends, and train() takes no steps after it; Infinity, until
   * stopped (the rate halves when observeValidation() sees no progress, never below an eighth of
   * its peak); 0, no budget (the fixed decay per step of the training settings). Changing it goes
   * on from the same clock with the same model.
   */
  trainFor(minutes) {
    if (typeof minutes !== 'number' || Number.isNaN(minutes) || minutes < 0) {
      throw new CharRnnError('trainFor() takes a number of minutes above 0, Infinity (until stopped) or 0 (no budget).', 'argument');
    }
    callEngine(() => this._handle().setBudget(minutes * 60));
  }
  /**
   * The time budget: { minutes (0: none, Infinity: until stopped), elapsedMinutes (the training
   * clock), leftMinutes, spent, peakLearningRate }.
   */
  get budget() {
    const h = super._handle();
    const minutes = h.budget() / 60;
    const elapsedMinutes = h.clock() / 60;
    return { minutes, elapsedMinutes, leftMinutes: minutes > 0 && Number.isFinite(minutes) ? Math.max(0, minutes - elapsedMinutes) : null,
      spent: h.budgetSpent(), peakLearningRate: h.peakLearningRate() };
  }
  /**
   * The training clock in seconds: each step adds its own duration; a caller that counts its time
   * otherwise (the page: time running, validation included) sets it.
   */
  setClock(seconds) { callEngine(() => this._handle().setClock(seconds)); }
  /** A validation loss for the schedule (until stopped, a plateau halves the rate); true if it did. */
  observeValidation(valLoss) { return callEngine(() => this._handle().observeValidation(valLoss)); }
  /** Replaces the training text (same vocabulary). */
  setText(text) { callEngine(() => this._handle().setText(textArg(text))); }
  /** The model as .safetensors bytes; { checkpoint: true } also stores the training state. */
  save({ checkpoint = false, f16 = false } = {}) { return callEngine(() => this._handle().save(checkpoint, f16)).slice(); }
  /** Keeps the current weights as the best when valLoss is below the best's so far; true if kept. */
  keepIfBest(valLoss) { return callEngine(() => this._handle().keepIfBest(valLoss)); }
  /** The best weights kept: { iteration, valLoss }, or null before the first keepIfBest. */
  get best() { return super._handle().bestInfo(); }
  /** Puts the best weights back in place (training goes on from them). */
  restoreBest() { callEngine(() => this._handle().restoreBest()); }
  /** The best weights as a model file (with their iteration and validation loss); { f16 } halves it. */
  saveBest({ f16 = false } = {}) { return callEngine(() => this._handle().saveBest(f16)).slice(); }
  /** Takes the best weights from a model file saveBest() wrote for this model (an autosave's). */
  adoptBest(bytes) { callEngine(() => this._handle().adoptBest(bytesArg(bytes))); }
  /** Dropout from the next step on (0 to 0.95). */
  setDropout(p) {
    callEngine(() => this._handle().setDropout(p));
    // Helper workers hold the model's configuration from when they started: they start again
    // with the new dropout at the next trainInParallel() (weights come per step either way).
    this.#parallel.restart();
  }
  /** Read each time: setDropout() changes it. */
  get modelConfig() { return super._handle().modelConfig(); }
  get trainConfig() { return super._handle().trainConfig(); }
  get iteration() { return super._handle().iteration(); }
  get epoch() { return super._handle().epoch(); }
  get learningRate() { return super._handle().learningRate(); }
  get trainChars() { return super._handle().trainChars(); }
  get valChars() { return super._handle().valChars(); }
  get stepsPerEpoch() { return super._handle().stepsPerEpoch(); }
  dispose() {
    this.#parallel.close();
    super.dispose();
  }
}

// A typed array of per-character probabilities, as advantage() takes them.
function probabilitiesArg(name, values, chars) {
  if (!(values instanceof Float32Array || values instanceof Float64Array) || values.length !== chars) {
    throw new CharRnnError(`The ${name} must be a Float32Array with one probability per character of the text ` +
      `(${chars}; got ${values?.length ?? typeof values}).`, 'argument');
  }
  return values;
}

/** A ReachProbe over one text: sizesAt(t) for ascending positions t (analysis.reachSession). */
export class ReachSession {
  #handle;
  constructor(handle) {
    this.#handle = handle;
    this.chars = handle.chars();
  }
  /** Float32Array [min(maxDistance, t)]: the gradient's size 1, 2, ... characters before t (t ascending, 1..chars-1). */
  sizesAt(t) {
    if (!this.#handle) throw disposed('reach session');
    wholeNumber('position', t, 1, Math.max(1, this.chars - 1));
    return callEngine(() => this.#handle.sizesAt(t)).slice();
  }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

/**
 * "Why it works" on a model file (core/inspection/ngram.h, gates.h, reach.h): the n-gram baseline,
 * gate saturation and the gradient's reach. Defaults: engine.analysisDefaults.
 */
export class Analysis {
  #handle;
  #defaults;
  constructor(handle, defaults) {
    this.#handle = handle;
    this.#defaults = defaults;
  }
  get #live() {
    if (!this.#handle) throw disposed('analysis');
    return this.#handle;
  }
  /**
   * Counts an n-gram model on the training part of `text` (split as a trainer with `valFraction`
   * splits it) and keeps it for ngramPActual: { order, valLoss, valPredictions }.
   */
  countNgram(text, { order = this.#defaults.ngramOrder, valFraction = this.#defaults.valFraction } = {}) {
    textArg(text);
    wholeNumber('n-gram order', order, 1, this.#defaults.maxNgramOrder);
    return callEngine(() => this.#live.countNgram(text, order, valFraction));
  }
  /** Float32Array [chars]: the kept n-gram's p(actual) per character of `text`, read after a line break. */
  ngramPActual(text) {
    stringArg('text', text);
    return callEngine(() => this.#live.ngramPActual(text)).slice();
  }
  /**
   * Where the network's advantage over the n-gram falls, from both p(actual) of `text`
   * (inspect().pActual and ngramPActual): { nats, chars, byContext: [{ after, chars, advantageShare, textShare }] }.
   */
  advantage(text, pNet, pNgram) {
    const chars = Array.from(stringArg('text', text)).length;
    probabilitiesArg('network\'s probabilities', pNet, chars);
    probabilitiesArg('n-gram\'s probabilities', pNgram, chars);
    return callEngine(() => this.#live.advantage(text, pNet, pNgram));
  }
  /**
   * How often each gate of each unit is nearly shut (< 0.1: left) or open (> 0.9: right) over
   * `text`: { chars, layers, gates, hidden, layerHidden, gateNames, left, right } with left and
   * right Float32Array [layers, gates, hidden]. An RNN has no gates: a CharRnnError.
   */
  gateSaturation(text) {
    const g = callEngine(() => this.#live.gateSaturation(stringArg('text', text)));
    return { chars: g.chars, layers: g.layers, gates: g.gates, hidden: g.hidden, layerHidden: Array.from(g.layerHidden),
      gateNames: Array.from(g.gateNames), left: g.left.slice(), right: g.right.slice() };
  }
  #reachOptions({ maxDistance = this.#defaults.reachDistance, samples = this.#defaults.reachSamples } = {}) {
    wholeNumber('maximum distance', maxDistance, 1, this.#defaults.maxReachDistance);
    wholeNumber('number of sampled positions', samples, 0, 1e7);
    return { maxDistance, samples };
  }
  /**
   * The gradient's reach over `text`, averaged by distance: { byDistance: Float64Array [maxDistance],
   * counts: Float64Array [maxDistance], positions: Int32Array } (one call; reachSession spreads it).
   */
  reach(text, options) {
    const { maxDistance, samples } = this.#reachOptions(options);
    const r = callEngine(() => this.#live.reachOverText(stringArg('text', text), maxDistance, samples));
    return { byDistance: r.byDistance.slice(), counts: r.counts.slice(), positions: r.positions.slice() };
  }
  /** Int32Array: the positions reach() averages over for a text of `chars` characters. */
  reachPositions(chars, options) {
    const { maxDistance, samples } = this.#reachOptions(options);
    return callEngine(() => this.#live.reachPositions(wholeNumber('number of characters', chars, 1), maxDistance,
      samples)).slice();
  }
  /** A ReachSession over `text`: the positions one at a time (dispose it when done). */
  reachSession(text, options) {
    const { maxDistance } = this.#reachOptions(options);
    return new ReachSession(callEngine(() => this.#live.reachSession(stringArg('text', text), maxDistance)));
  }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

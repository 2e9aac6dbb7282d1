// The JavaScript API of the engine: `await load()` gives plain objects and real Errors, not
// Embind handles. The build copies this file next to the generated modules.
//
//   import { load } from './charrnn.js';
//   const charrnn = await load();
//   const trainer = charrnn.createTrainer(text, { cell: 'lstm', hiddenSize: 128 }, { batchSize: 32 });
//   // or each layer its own size, bottom first: { cell: 'lstm', layers: 2, hiddenSizes: [256, 128] }
//   const stats = trainer.train(10);            // { loss, iteration, epoch, ... }
//   trainer.sample({ prime: 'ROMEO:', length: 200, temperature: 0.8 });
//   const bytes = trainer.save({ checkpoint: true });  // Uint8Array (.safetensors)
//
// Threads: createTrainer(text, model, train, { threads: 4 }) splits each batch into 4 shards;
// `await trainer.trainInParallel(steps)` runs shards 2..4 in helper workers (one WASM instance
// each, see shard_helpers.js) and gives the same model as train(), which runs them one by one.
//
// Every default setting is the engine's own (core/model/config.h, core/generation/sampler.h): `charrnn.defaults`.
import { simd, exceptions } from 'wasm-feature-detect';
import { ShardHelpers, isNode } from './shard_helpers.js';

export class CharRnnError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CharRnnError';
  }
}

// Every engine call goes through here: its Errors become CharRnnErrors with the same message.
function call(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CharRnnError) throw e;
    throw new CharRnnError(e instanceof Error ? e.message : String(e));
  }
}

function textArg(text) {
  if (typeof text === 'string' || text instanceof Uint8Array) return text;
  if (text instanceof ArrayBuffer) return new Uint8Array(text);
  throw new CharRnnError('The text must be a string or a Uint8Array of UTF-8 bytes.');
}

function bytesArg(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new CharRnnError('A model file must be given as a Uint8Array or ArrayBuffer.');
}

// JS numbers reach the engine's integers: refuse what is not a whole number in range (NaN,
// Infinity, fractions, negatives, beyond 2^53) instead of letting it be truncated or wrapped.
function wholeNumber(name, value, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CharRnnError(`The ${name} must be a whole number between ${min} and ${max} (got ${String(value)}).`);
  }
  return value;
}

// The settings fields that are counts or seeds, by their API names.
const WHOLE_FIELDS = { seed: 'seed', topK: 'top-k', batchSize: 'batch size', seqLen: 'sequence length',
  layers: 'number of layers', hiddenSize: 'hidden size', embedSize: 'embedding size',
  lrDecayEvery: 'learning-rate decay interval' };

function settingsArg(defaults, given) {
  if (given != null && typeof given !== 'object') throw new CharRnnError('Settings must be given as an object.');
  const merged = { ...defaults, ...given };
  for (const [key, name] of Object.entries(WHOLE_FIELDS)) if (key in merged) wholeNumber(name, merged[key]);
  if ('hiddenSizes' in merged) hiddenSizesArg(merged.hiddenSizes);
  return merged;
}

// Per-layer hidden sizes: an array of whole numbers, one per layer ([] or absent: every layer
// has hiddenSize). Whether the count fits the layers is the engine's to say.
function hiddenSizesArg(sizes) {
  if (!Array.isArray(sizes)) {
    throw new CharRnnError('hiddenSizes must be an array of whole numbers, one per layer (e.g. [256, 128]), or [].');
  }
  sizes.forEach((size, l) => wholeNumber(`hidden size of layer ${l + 1}`, size, 1, 1 << 20));
}

class Sampler {
  #handle;
  #defaults;
  constructor(handle, defaults) { this.#handle = handle; this.#defaults = defaults; }
  /** Resets the state and feeds the priming text (every character must be in the vocabulary). */
  prime(text) { call(() => this.#handle.prime(text)); }
  /** Like prime(), but leaves out characters outside the vocabulary; returns them (a string, '' if none). */
  primeKnown(text) { return call(() => this.#handle.primeKnown(text)); }
  /** The next n characters. */
  next(n = 1) { return call(() => this.#handle.next(wholeNumber('number of characters', n, 0, 1e7))); }
  setSettings(settings) { call(() => this.#handle.setSettings(settingsArg(this.#defaults, settings))); }
  /** Probabilities of the next character (a copy, indexed like `vocab`). */
  probabilities() { return this.#handle.probabilities().slice(); }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

function sampleWith(makeSampler, { prime = '', length = 200, ...settings } = {}) {
  wholeNumber('sample length', length, 0, 1e7);
  const sampler = makeSampler(settings);
  try {
    sampler.prime(prime);
    return sampler.next(length);
  } finally {
    sampler.dispose();
  }
}

// Whole lines ({ count, maxChars, prime, temperature, argmax, topK, seed }): the settings checked here,
// the sampling and marking done by the engine (core/generation/line_sampler.h).
function sampleLinesWith(defaults, sample, { count = 5, maxChars = 200, prime = '', ...settings } = {}) {
  wholeNumber('number of lines', count, 1, 10000);
  wholeNumber('line length cap', maxChars, 1, 100000);
  if (typeof prime !== 'string') throw new CharRnnError('The priming text must be a string.');
  return call(() => sample(count, settingsArg(defaults, settings), maxChars, prime));
}

// Looking inside: copies of the engine's views, with the shapes charrnn.d.ts documents.
function inspectWith(handle, vocab, text, { topK = 5 } = {}) {
  if (typeof text !== 'string') throw new CharRnnError('The text to inspect must be a string.');
  wholeNumber('top-k', topK, 1, vocab.length);
  const r = call(() => handle.inspect(text, topK));
  return { chars: r.chars, topK: r.topK, layers: r.layers, hidden: r.hidden, layerHidden: r.layerHidden,
    hasCellState: r.hasCellState,
    text: Array.from(text), ids: r.ids.slice(), topIds: r.topIds.slice(), topProbs: r.topProbs.slice(),
    pActual: r.pActual.slice(), h: r.h.slice(), c: r.c.slice() };
}

class Model {
  #handle;
  #defaults;
  constructor(handle, defaults) {
    this.#handle = handle;
    this.#defaults = defaults;
    this.config = handle.config();
    /** Trained on whole lines (TrainConfig.lines): its samples are lines. */
    this.lines = handle.lines();
    this.vocab = Array.from(handle.vocabText());
    this.parameters = handle.parameterCount();
  }
  /** A character stream: sampler.prime(text); sampler.next(n). Dispose it when done. */
  sampler(settings = {}) {
    return new Sampler(call(() => this.#handle.sampler(settingsArg(this.#defaults, settings))), this.#defaults);
  }
  /** A whole sample: { prime, length, temperature, argmax, topK, seed }. */
  sample(options) { return sampleWith((s) => this.sampler(s), options); }
  /**
   * `count` whole lines, each from the start context to its line break: [{ text, complete, fromText }].
   * fromText: the line is a whole line of options.text (omitted: nothing is marked).
   */
  sampleLines({ text = '', ...options } = {}) {
    if (typeof text !== 'string') throw new CharRnnError('The text to mark lines against must be a string.');
    return sampleLinesWith(this.#defaults, (n, s, max, prime) => this.#handle.sampleLines(n, s, max, prime, text),
      options);
  }
  /** Per character of `text`: top-k next characters, p(actual), activations. See charrnn.d.ts. */
  inspect(text, options) { return inspectWith(this.#handle, this.vocab, text, options); }
  /** Units ranked by how well they track simple properties of the last inspected text. */
  rankNeurons(perProperty = 5) {
    return call(() => this.#handle.rankNeurons(wholeNumber('number of neurons per property', perProperty, 1, 1000)));
  }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

class Trainer {
  #handle;
  #defaults;
  #spawn; // { url, wasmUrl } of the helper workers
  #helpers = null; // ShardHelpers while they run
  #helpersStarting = null;
  #threadError = null; // why the helpers stopped, once: training went on in this thread
  #stepping = false; // a trainInParallel() step is under way: nothing else may use the trainer
  constructor(handle, defaults, spawn) {
    this.#handle = handle;
    this.#defaults = defaults;
    this.#spawn = spawn;
    this.vocab = Array.from(handle.vocabText());
    this.parameters = handle.parameterCount();
  }
  /**
   * Runs up to `steps` training steps (stopping early after `maxMs` milliseconds, or when the run
   * blows up: `diverged`). loss is the mean over the applied steps, in nats/char (NaN if none).
   */
  train(steps = 1, { maxMs = Infinity } = {}) {
    this.#idle();
    wholeNumber('number of steps', steps, 1, 1e6);
    if (!(maxMs > 0)) throw new CharRnnError('maxMs must be a positive number of milliseconds.');
    const s = call(() => this.#handle.train(steps, maxMs / 1000));
    return { ...s, iteration: this.#handle.iteration(), epoch: this.#handle.epoch(),
      learningRate: this.#handle.learningRate() };
  }
  /**
   * Like train(), with shards 2.. of every step in helper workers: the same model as train()
   * gives, bit for bit. The first call starts the helpers in the background and trains here
   * meanwhile (so the first steps do not wait for them). If a helper stops (or cannot start), its
   * shard runs here, the other helpers are stopped, and training goes on in this thread: the
   * summary says why once, in threadError. With one thread this is train().
   */
  async trainInParallel(steps = 1, { maxMs = Infinity } = {}) {
    this.#idle();
    wholeNumber('number of steps', steps, 1, 1e6);
    if (!(maxMs > 0)) throw new CharRnnError('maxMs must be a positive number of milliseconds.');
    if (this.threads > 1 && !this.#helpers && !this.#helpersStarting && !this.#threadError) this.#startHelpers();
    if (!this.#helpers) return { ...this.train(steps, { maxMs }), threadError: this.#takeThreadError() };
    const start = performance.now();
    const timing = { sendMs: 0, ownShardMs: 0, waitMs: 0, finishMs: 0 };
    this.#handle.takeSummary(); // this call's steps only
    this.#stepping = true;
    try {
      for (let done = 0; done < steps && this.#helpers; done++) {
        await this.#parallelStep(timing);
        if (performance.now() - start >= maxMs) break;
      }
    } finally {
      this.#stepping = false;
    }
    const h = this.#live();
    return { ...call(() => h.takeSummary()), iteration: h.iteration(), epoch: h.epoch(),
      learningRate: h.learningRate(), threadError: this.#takeThreadError(), timing };
  }
  /** Resolves when the helper workers are running (or could not start); trainInParallel starts them. */
  async helpersReady() {
    if (this.threads > 1 && !this.#helpers && !this.#helpersStarting && !this.#threadError) this.#startHelpers();
    await this.#helpersStarting;
  }
  /** The number of shards each batch is split into (createTrainer's threads). */
  get threads() { return this.#handle.shards(); }
  /** How many helper workers run shards now (0 until trainInParallel starts them, or after they stopped). */
  get helperThreads() { return this.#helpers ? this.threads - 1 : 0; }

  // While a trainInParallel() step is out in the helpers, the trainer is half-way through it:
  // evaluating, saving or stepping then would read or write the step's own buffers.
  #idle() {
    if (this.#stepping) throw new CharRnnError('The trainer is in the middle of trainInParallel(): await it first.');
  }
  #live() {
    if (!this.#handle) throw new CharRnnError('The trainer was disposed while it trained.');
    return this.#handle;
  }
  #takeThreadError() {
    const e = this.#threadError;
    if (e) this.#threadError = { reported: true, message: e.message };
    return e && !e.reported ? e.message : null;
  }
  #startHelpers() {
    const h = this.#handle, N = this.threads;
    const counts = Array.from({ length: N }, (_, s) => h.shardStreams(s));
    const modelBytes = call(() => h.save(false, false)).slice(); // shape and vocabulary; weights come per step
    this.#helpersStarting = ShardHelpers.start({ ...this.#spawn, modelBytes, B: this.trainConfig.batchSize,
      T: this.trainConfig.seqLen, counts })
      .then((helpers) => {
        if (this.#handle) this.#helpers = helpers;
        else helpers.terminate(); // disposed meanwhile
      }, (e) => {
        this.#threadError = { message: `${e.message} Training goes on in one thread.` };
      })
      .finally(() => { this.#helpersStarting = null; });
  }
  #stopHelpers(reason) {
    this.#helpers?.terminate();
    this.#helpers = null;
    if (reason) this.#threadError = { message: `${reason.message ?? reason} Training goes on in one thread.` };
  }
  // One step: shards 1.. to the helpers (weights and exchange buffers copied out of WASM memory and
  // transferred), shard 0 here meanwhile, then their results in and one update. timing adds up
  // where the time went (the costs beside the shards' own compute: bench/wasm_bench.mjs prints them).
  async #parallelStep(timing) {
    const t0 = performance.now();
    let h = this.#live();
    const N = h.shards();
    call(() => h.beginStep());
    const weights = h.weights().slice();
    const jobs = [];
    for (let s = 1; s < N; s++) {
      call(() => h.exportShard(s));
      const b = h.shardBuffers(s);
      jobs.push(this.#helpers.run(s, { weights: s === N - 1 ? weights : weights.slice(), inputs: b.inputs.slice(),
        targets: b.targets.slice(), state: b.state.slice(), rng: b.rng.slice() }));
    }
    const t1 = performance.now();
    call(() => h.runShard(0));
    const t2 = performance.now();
    // A helper that neither answers nor dies (a hung worker) would hold the step for ever: past
    // many times this thread's own shard, it counts as lost.
    const limitMs = Math.max(HELPER_TIMEOUT_MS, 50 * (t2 - t1));
    const results = await Promise.allSettled(jobs.map((job) => withTimeout(job, limitMs)));
    const t3 = performance.now();
    h = this.#live();
    let lost = null;
    for (let s = 1; s < N; s++) {
      const r = results[s - 1];
      try {
        if (r.status !== 'fulfilled') throw r.reason;
        const b = h.shardBuffers(s);
        b.grads.set(r.value.grads);
        b.state.set(r.value.state);
        b.rng.set(r.value.rng);
        call(() => h.importShard(s, r.value.loss));
      } catch (e) {
        // Nothing of the trainer changed when the shard was sent (its generators are taken back
        // only by importShard, the last thing above): the same shard, here.
        lost ??= e;
        call(() => h.runShard(s));
      }
    }
    if (lost) this.#stopHelpers(lost);
    const r = call(() => h.finishStep());
    const t4 = performance.now();
    timing.sendMs += t1 - t0;
    timing.ownShardMs += t2 - t1;
    timing.waitMs += t3 - t2;
    timing.finishMs += t4 - t3;
    return r;
  }

  /** Mean validation loss (nats/char) over at most maxChars of the validation text (omitted: all); NaN if none. */
  evaluate(maxChars) {
    this.#idle();
    if (maxChars !== undefined) wholeNumber('number of validation characters', maxChars);
    return call(() => this.#handle.evaluate(maxChars ?? -1));
  }
  /** Offers the current weights as the rollback point, with their validation loss; true if taken. */
  markGood(valLoss) { this.#idle(); return this.#handle.markGood(valLoss); }
  /** Returns to the rollback point: { iteration, valLoss, learningRate, suggestedLearningRate }. */
  rollBack() { this.#idle(); return call(() => this.#handle.rollBack()); }
  setLearningRate(lr) { call(() => this.#handle.setLearningRate(lr)); }
  /** Replaces the training text (same vocabulary). */
  setText(text) { this.#idle(); call(() => this.#handle.setText(textArg(text))); }
  /** The model as .safetensors bytes; { checkpoint: true } also stores the training state. */
  save({ checkpoint = false, f16 = false } = {}) {
    this.#idle();
    return call(() => this.#handle.save(checkpoint, f16)).slice();
  }
  /** Keeps the current weights as the best when valLoss is below the best's so far; true if kept. */
  keepIfBest(valLoss) { this.#idle(); return this.#handle.keepIfBest(valLoss); }
  /** The best weights kept: { iteration, valLoss }, or null before the first keepIfBest. */
  get best() { return this.#handle.bestInfo(); }
  /** Puts the best weights back in place (training goes on from them). */
  restoreBest() { this.#idle(); call(() => this.#handle.restoreBest()); }
  /** The best weights as a model file (with their iteration and validation loss); { f16 } halves it. */
  saveBest({ f16 = false } = {}) { return call(() => this.#handle.saveBest(f16)).slice(); }
  /** Takes the best weights from a model file saveBest() wrote for this model (an autosave's). */
  adoptBest(bytes) { call(() => this.#handle.adoptBest(bytesArg(bytes))); }
  /** Dropout from the next step on (0 to 0.95). */
  setDropout(p) {
    this.#idle();
    call(() => this.#handle.setDropout(p));
    // Helper workers hold the model's configuration from when they started: they start again
    // with the new dropout at the next trainInParallel() (weights come per step either way).
    const restart = () => this.#stopHelpers();
    restart();
    this.#helpersStarting?.then(restart);
  }
  sampler(settings = {}) {
    return new Sampler(call(() => this.#handle.sampler(settingsArg(this.#defaults.sample, settings))),
      this.#defaults.sample);
  }
  sample(options) { return sampleWith((s) => this.sampler(s), options); }
  /** `count` whole lines, each marked fromText when it is a whole line of the training text. */
  sampleLines(options) {
    this.#idle();
    return sampleLinesWith(this.#defaults.sample, (n, s, max, prime) => this.#handle.sampleLines(n, s, max, prime),
      options);
  }
  inspect(text, options) { this.#idle(); return inspectWith(this.#handle, this.vocab, text, options); }
  rankNeurons(perProperty = 5) {
    return call(() => this.#handle.rankNeurons(wholeNumber('number of neurons per property', perProperty, 1, 1000)));
  }
  /** Read each time: setDropout() changes it. */
  get modelConfig() { return this.#handle.modelConfig(); }
  get trainConfig() { return this.#handle.trainConfig(); }
  get iteration() { return this.#handle.iteration(); }
  get epoch() { return this.#handle.epoch(); }
  get learningRate() { return this.#handle.learningRate(); }
  get trainChars() { return this.#handle.trainChars(); }
  get valChars() { return this.#handle.valChars(); }
  get stepsPerEpoch() { return this.#handle.stepsPerEpoch(); }
  dispose() {
    this.#stopHelpers();
    this.#handle?.delete();
    this.#handle = null;
  }
}

// A step waits at least this long for a helper before running its shard here instead.
const HELPER_TIMEOUT_MS = 30000;

function withTimeout(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`A training thread did not answer within ${Math.round(ms / 1000)} s.`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// A helper worker's shard (shard_helper_worker.js): fills the replica's buffers, runs, copies out.
class ShardReplica {
  #handle;
  constructor(handle) { this.#handle = handle; }
  run(job) {
    const b = this.#handle.buffers();
    for (const key of ['weights', 'inputs', 'targets', 'state', 'rng']) {
      if (job[key]?.length !== b[key].length) throw new CharRnnError(`A shard's ${key} do not fit its replica.`);
      b[key].set(job[key]);
    }
    const loss = call(() => this.#handle.run());
    const out = this.#handle.buffers(); // the run may have grown memory: fresh views
    return { loss, grads: out.grads.slice(), state: out.state.slice(), rng: out.rng.slice() };
  }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

// Node's own modules, imported only under Node. The name is put together at run time, so a
// bundler building for the browser leaves these imports alone instead of failing to resolve them.
const nodeBuiltin = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ `node:${name}`);

async function nodeGlobals(wasmFile) {
  // Emscripten 3.1.6's ES-module output expects CommonJS globals and fetch()es file paths under Node.
  const [{ createRequire }, { fileURLToPath }, path, fs] = await Promise.all([
    nodeBuiltin('module'), nodeBuiltin('url'), nodeBuiltin('path'), nodeBuiltin('fs/promises')]);
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= path.dirname(fileURLToPath(import.meta.url));
  return fs.readFile(new URL(wasmFile, import.meta.url));
}

/**
 * Loads the engine. options.module: 'training' (default) or 'sampling' (smaller, sampling only).
 * options.wasmUrl overrides where the .wasm file is fetched from in a browser; options.wasmModule
 * (a WebAssembly.Module of that file, or a promise of one) skips the fetch: a caller that began
 * WebAssembly.compileStreaming() early passes it here. options.wasmBinary: the file's bytes.
 */
export async function load({ module = 'training', wasmUrl, wasmBinary, wasmModule,
  helperUrl = new URL('./shard_helper_worker.js', import.meta.url).href } = {}) {
  if (!(await simd())) {
    throw new CharRnnError('This browser does not support WebAssembly SIMD, which the trainer needs. ' +
      'Use a current Chrome, Edge, Firefox or Safari (16.4+).');
  }
  if (!(await exceptions())) {
    throw new CharRnnError('This browser does not support WebAssembly exception handling. Use a current browser.');
  }
  const training = module === 'training';
  if (!training && module !== 'sampling') throw new CharRnnError(`Unknown engine module '${module}'.`);
  const wasmFile = training ? 'charrnn_training.wasm' : 'charrnn_sampling.wasm';
  if (isNode && !wasmBinary) {
    const bytes = await nodeGlobals(wasmFile);
    if (!wasmModule) wasmBinary = bytes;
  }
  const factory = training ? (await import('./charrnn_training.mjs')).default
    : (await import('./charrnn_sampling.mjs')).default;
  const options = {};
  if (wasmBinary) options.wasmBinary = wasmBinary;
  if (wasmUrl) options.locateFile = (file) => (file.endsWith('.wasm') ? wasmUrl : file);
  let compileFailed = null; // the module compiled elsewhere failed: the factory would wait forever
  const failure = new Promise((_, reject) => { compileFailed = reject; });
  if (wasmModule) {
    // Emscripten's hook: instantiate the given module with its imports, hand it the instance.
    options.instantiateWasm = (imports, receive) => {
      Promise.resolve(wasmModule).then((m) => WebAssembly.instantiate(m, imports))
        .then((instance) => receive(instance), (e) => compileFailed(new CharRnnError(
          `The engine's WebAssembly could not be loaded (${e?.message ?? e}).`)));
      return {};
    };
  }
  const engine = await Promise.race([factory(options), failure]);
  const { vocabSize, ...model } = engine.defaultModelConfig();
  const defaults = Object.freeze({ model: Object.freeze(model), sample: Object.freeze(engine.defaultSampleOptions()),
    train: training ? Object.freeze(engine.defaultTrainConfig()) : undefined });
  const api = {
    /** The engine's default settings: { model, train, sample }. */
    defaults,
    /** Every setting's names, label, type, range, default and help (core/model/settings.cpp). */
    schema: Object.freeze(JSON.parse(engine.settingsSchema()).map(Object.freeze)),
    /** Loads a .safetensors model for sampling and inspection. */
    loadModel: (bytes) => new Model(call(() => engine.SamplingModel.fromBytes(bytesArg(bytes))), defaults.sample),
  };
  if (training) {
    // Helpers get the compiled engine when there is one: a second compile would compete with the
    // first training steps (the page starts its helpers as it starts training).
    const spawn = { url: helperUrl, wasmUrl, wasmModule: wasmModule ? await wasmModule : undefined };
    const threadsArg = (options) => {
      if (options != null && typeof options !== 'object') throw new CharRnnError('Options must be given as an object.');
      return wholeNumber('number of threads', options?.threads ?? 1, 1, 256);
    };
    const modelArg = (given) => ({ ...settingsArg(defaults.model, given), vocabSize: 0 });
    /**
     * A new model on a text: model and train settings default to `defaults.model` / `defaults.train`.
     * options.threads (1 to the batch size) splits each batch into that many shards.
     */
    api.createTrainer = (text, model = {}, train = {}, options = {}) => new Trainer(call(() =>
      engine.TrainingSession.create(textArg(text), modelArg(model), settingsArg(defaults.train, train),
        threadsArg(options))), defaults, spawn);
    /** Continues a saved model on a text; a checkpoint resumes exactly unless `resume` is false. */
    api.loadTrainer = (bytes, text, train = {}, options = {}) => new Trainer(call(() =>
      engine.TrainingSession.fromBytes(bytesArg(bytes), textArg(text), settingsArg(defaults.train, train),
        options?.resume ?? true, threadsArg(options))), defaults, spawn);
    /** A helper worker's shard replica (used by shard_helper_worker.js). */
    api.createShardReplica = (modelBytes, B, T, count) => new ShardReplica(call(() =>
      engine.ShardReplica.fromBytes(bytesArg(modelBytes), wholeNumber('batch size', B, 1),
        wholeNumber('sequence length', T, 1), wholeNumber('number of streams', count, 1))));
    /** Bytes of memory a configuration needs to train, to refuse what would not fit. */
    api.estimateTrainingBytes = (model, train, vocabSize) => call(() => engine.estimateTrainingBytes(
      modelArg(model), settingsArg(defaults.train, train), wholeNumber('vocabulary size', vocabSize, 1)));
    /** A text's figures before any model: { chars, trainChars, valChars, vocab }. Checks its UTF-8. */
    api.describeText = (text, valFraction = defaults.train.valFraction) => {
      const f = call(() => engine.describeText(textArg(text), valFraction));
      return { chars: f.chars, trainChars: f.trainChars, valChars: f.valChars, vocab: Array.from(f.symbols) };
    };
  }
  return api;
}

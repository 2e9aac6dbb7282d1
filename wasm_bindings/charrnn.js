// The JavaScript API of the engine: `await load()` gives plain objects and real Errors, not
// Embind handles. The build copies this file next to the generated modules.
//
//   import { load } from './charrnn.js';
//   const charrnn = await load();
//   const trainer = charrnn.createTrainer(text, { cell: 'lstm', hiddenSize: 128 }, { batchSize: 32 });
//   const stats = trainer.train(10);            // { loss, iteration, epoch, ... }
//   trainer.sample({ prime: 'ROMEO:', length: 200, temperature: 0.8 });
//   const bytes = trainer.save({ checkpoint: true });  // Uint8Array (.safetensors)
import { simd, exceptions } from 'wasm-feature-detect';

export class CharRnnError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CharRnnError';
  }
}

export const MODEL_DEFAULTS = Object.freeze({ cell: 'lstm', embedSize: 32, hiddenSize: 128, layers: 2, dropout: 0 });
export const TRAIN_DEFAULTS = Object.freeze({
  batchSize: 32, seqLen: 50, optimizer: 'rmsprop', learningRate: 2e-3, lrDecay: 1, lrDecayEvery: 0,
  gradClip: 5, gradClipValue: 0, l2: 0, valFraction: 0.1, seed: 42,
});
export const SAMPLE_DEFAULTS = Object.freeze({ temperature: 1, argmax: false, topK: 0, seed: 1 });

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined' &&
  typeof WorkerGlobalScope === 'undefined';

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

function decodeVocab(json) {
  return JSON.parse(json).map((cp) => String.fromCodePoint(cp));
}

function snakeToCamel(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) out[k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())] = v;
  return out;
}

class Sampler {
  #handle;
  constructor(handle) { this.#handle = handle; }
  /** Resets the state and feeds the priming text. */
  prime(text) { call(() => this.#handle.prime(text)); }
  /** The next n characters. */
  next(n = 1) { return call(() => this.#handle.next(n)); }
  setSettings(settings) { call(() => this.#handle.setSettings({ ...SAMPLE_DEFAULTS, ...settings })); }
  /** Probabilities of the next character (a copy, indexed like `vocab`). */
  probabilities() { return this.#handle.probabilities().slice(); }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

function sampleWith(makeSampler, { prime = '', length = 200, ...settings } = {}) {
  const sampler = makeSampler(settings);
  try {
    sampler.prime(prime);
    return sampler.next(length);
  } finally {
    sampler.dispose();
  }
}

class Model {
  #handle;
  constructor(handle) {
    this.#handle = handle;
    this.config = snakeToCamel(JSON.parse(handle.configJson()));
    this.vocab = decodeVocab(handle.vocabJson());
    this.parameters = handle.parameterCount();
  }
  /** A character stream: sampler.prime(text); sampler.next(n). Dispose it when done. */
  sampler(settings = {}) {
    return new Sampler(call(() => this.#handle.sampler({ ...SAMPLE_DEFAULTS, ...settings })));
  }
  /** A whole sample: { prime, length, temperature, argmax, topK, seed }. */
  sample(options) { return sampleWith((s) => this.sampler(s), options); }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

class Trainer {
  #handle;
  constructor(handle) {
    this.#handle = handle;
    this.modelConfig = snakeToCamel(JSON.parse(handle.modelConfigJson()));
    this.vocab = decodeVocab(handle.vocabJson());
    this.parameters = handle.parameterCount();
  }
  /** Runs `steps` training steps; loss is their mean in nats/char (NaN if every step was skipped). */
  train(steps = 1) { return call(() => this.#handle.train(steps)); }
  /** Mean validation loss (nats/char) over at most maxChars of the validation text; NaN if none. */
  evaluate(maxChars = -1) { return call(() => this.#handle.evaluate(maxChars)); }
  setLearningRate(lr) { call(() => this.#handle.setLearningRate(lr)); }
  /** Replaces the training text (same vocabulary). */
  setText(text) { call(() => this.#handle.setText(textArg(text))); }
  /** The model as .safetensors bytes; { checkpoint: true } also stores the training state. */
  save({ checkpoint = false, f16 = false } = {}) { return call(() => this.#handle.save(checkpoint, f16)).slice(); }
  sampler(settings = {}) {
    return new Sampler(call(() => this.#handle.sampler({ ...SAMPLE_DEFAULTS, ...settings })));
  }
  sample(options) { return sampleWith((s) => this.sampler(s), options); }
  get trainConfig() {
    const c = snakeToCamel(JSON.parse(this.#handle.trainConfigJson()));
    c.seed = Number(c.seed);
    return c;
  }
  get iteration() { return this.#handle.iteration(); }
  get epoch() { return this.#handle.epoch(); }
  get learningRate() { return this.#handle.learningRate(); }
  get trainChars() { return this.#handle.trainChars(); }
  get valChars() { return this.#handle.valChars(); }
  get stepsPerEpoch() { return this.#handle.stepsPerEpoch(); }
  dispose() { this.#handle?.delete(); this.#handle = null; }
}

async function nodeGlobals(wasmFile) {
  // Emscripten 3.1.6's ES-module output expects CommonJS globals and fetch()es file paths under Node.
  const [{ createRequire }, { fileURLToPath }, path, fs] = await Promise.all([
    import('node:module'), import('node:url'), import('node:path'), import('node:fs/promises')]);
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= path.dirname(fileURLToPath(import.meta.url));
  return fs.readFile(new URL(wasmFile, import.meta.url));
}

/**
 * Loads the engine. options.module: 'training' (default) or 'sampling' (smaller, sampling only).
 * options.wasmUrl overrides where the .wasm file is fetched from in a browser.
 */
export async function load({ module = 'training', wasmUrl, wasmBinary } = {}) {
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
  if (isNode && !wasmBinary) wasmBinary = await nodeGlobals(wasmFile);
  const factory = training ? (await import('./charrnn_training.mjs')).default
    : (await import('./charrnn_sampling.mjs')).default;
  const options = {};
  if (wasmBinary) options.wasmBinary = wasmBinary;
  if (wasmUrl) options.locateFile = (file) => (file.endsWith('.wasm') ? wasmUrl : file);
  const engine = await factory(options);
  const api = {
    /** Loads a .safetensors model for sampling. */
    loadModel: (bytes) => new Model(call(() => engine.SamplingModel.fromBytes(bytesArg(bytes)))),
  };
  if (training) {
    /** A new model on a text: model and train settings default to MODEL_DEFAULTS / TRAIN_DEFAULTS. */
    api.createTrainer = (text, model = {}, train = {}) => new Trainer(call(() =>
      engine.TrainingSession.create(textArg(text), { ...MODEL_DEFAULTS, ...model }, { ...TRAIN_DEFAULTS, ...train })));
    /** Continues a saved model on a text; a checkpoint resumes exactly unless `resume` is false. */
    api.loadTrainer = (bytes, text, train = {}, { resume = true } = {}) => new Trainer(call(() =>
      engine.TrainingSession.fromBytes(bytesArg(bytes), textArg(text), { ...TRAIN_DEFAULTS, ...train }, resume)));
    /** Bytes of memory a configuration needs to train, to refuse what would not fit. */
    api.estimateTrainingBytes = (model, train, vocabSize) => call(() => engine.estimateTrainingBytes(
      { ...MODEL_DEFAULTS, ...model }, { ...TRAIN_DEFAULTS, ...train }, vocabSize));
  }
  return api;
}

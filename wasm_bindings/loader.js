// load(): checks the WebAssembly features the engine needs, instantiates the chosen Emscripten
// module (in a page, a worker or Node) and hands back the API over it (wrappers.js).
import { simd, exceptions } from 'wasm-feature-detect';
import { bytesArg, settingsArg, textArg, threadsArg, useSchema, wholeNumber } from './arguments.js';
import { CharRnnError, callEngine } from './errors.js';
import { HelperPool, ShardRunner, isNode } from './shard_helpers.js';
import { Analysis, Model, Trainer } from './wrappers.js';

const MODULES = {
  training: { wasmFile: 'charrnn_training.wasm', factory: () => import('./charrnn_training.mjs') },
  sampling: { wasmFile: 'charrnn_sampling.wasm', factory: () => import('./charrnn_sampling.mjs') },
};

// The engine's settings are float32: 0.3 arrives as 0.30000001192092896. Each number as the
// shortest decimal that is the same float32 (what the engine's JSON writes).
function shortestFloats(settings) {
  const shortest = (v) => {
    if (typeof v !== 'number' || Number.isInteger(v) || !Number.isFinite(v)) return v;
    for (let p = 1; p < 9; p++) if (Math.fround(Number(v.toPrecision(p))) === Math.fround(v)) return Number(v.toPrecision(p));
    return v;
  };
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, shortest(v)]));
}

/**
 * Loads the engine. options.module: 'training' (default) or 'sampling' (smaller, sampling only).
 * options.wasmUrl overrides where the .wasm file is fetched from in a browser; options.wasmModule
 * (a WebAssembly.Module of that file, or a promise of one) skips the fetch: a caller that began
 * WebAssembly.compileStreaming() early passes it here. options.wasmBinary: the file's bytes.
 */
export async function load({ module = 'training', wasmUrl, wasmBinary, wasmModule,
  helperUrl = new URL('./shard_helper_worker.js', import.meta.url).href } = {}) {
  await requireFeatures();
  if (!Object.hasOwn(MODULES, module)) throw new CharRnnError(`Unknown engine module '${module}'.`, 'argument');
  const engine = await instantiate(MODULES[module], { wasmUrl, wasmBinary, wasmModule });
  const training = module === 'training';

  const { vocabSize, ...model } = engine.defaultModelConfig();
  const defaults = Object.freeze({ model: Object.freeze(model), sample: Object.freeze(engine.defaultSampleOptions()),
    train: training ? Object.freeze(engine.defaultTrainConfig()) : undefined });
  const api = {
    /** The engine's default settings: { model, train, sample }. */
    defaults,
    /** Every setting's names, label, type, range, default and help (core/model/settings.cpp). */
    schema: Object.freeze(JSON.parse(engine.settingsSchema()).map(Object.freeze)),
    /** Loads a .safetensors model for sampling and inspection. */
    loadModel: (bytes) => new Model(callEngine(() => engine.SamplingModel.fromBytes(bytesArg(bytes))), defaults.sample),
  };
  useSchema(api.schema);
  if (!training) return api;

  // Helpers get the compiled engine when there is one: a second compile would compete with the
  // first training steps (the page starts its helpers as it starts training).
  const analysisDefaults = Object.freeze({ ...engine.analysisDefaults(), valFraction: defaults.train.valFraction });
  const helpers = new HelperPool({ url: helperUrl, wasmUrl, wasmModule: wasmModule ? await wasmModule : undefined });
  const modelArg = (given) => ({ ...settingsArg(defaults.model, given), vocabSize: 0 });
  const trainArg = (given) => settingsArg(defaults.train, given);
  return Object.assign(api, {
    /**
     * A new model on a text: model and train settings default to `defaults.model` / `defaults.train`.
     * options.threads (1 to the batch size) splits each batch into that many shards.
     */
    createTrainer: (text, model = {}, train = {}, options = {}) => new Trainer(callEngine(() =>
      engine.TrainingSession.create(textArg(text), modelArg(model), trainArg(train), threadsArg(options))), defaults, helpers),
    /** Continues a saved model on a text; a checkpoint resumes exactly unless `resume` is false. */
    loadTrainer: (bytes, text, train = {}, options = {}) => new Trainer(callEngine(() =>
      engine.TrainingSession.fromBytes(bytesArg(bytes), textArg(text), trainArg(train), options?.resume ?? true,
        threadsArg(options))), defaults, helpers),
    /**
     * The helper workers of threads: { started, idle }. A disposed trainer's helpers wait (idle) for
     * the next trainer; idle ones do not keep Node running.
     */
    helperWorkers: () => helpers.counts,
    /** What a helper worker runs (shard_helper_worker.js). */
    createShardRunner: (modelBytes, B, T, count) => new ShardRunner(callEngine(() =>
      engine.ShardReplica.fromBytes(bytesArg(modelBytes), wholeNumber('batch size', B, 1),
        wholeNumber('sequence length', T, 1), wholeNumber('number of streams', count, 1)))),
    /** Bytes of memory a configuration needs to train, to refuse what would not fit. */
    /**
     * The recipe for a text of `chars` characters (core/training/recipe.h): { model, train, reason },
     * page and CLI alike. lines: memorise lines; minutes: the time budget (0 none, Infinity until stopped).
     */
    recipe: (chars, { lines = false, minutes = 0 } = {}) => {
      wholeNumber('number of characters', chars);
      if (typeof minutes !== 'number' || Number.isNaN(minutes) || minutes < 0) {
        throw new CharRnnError('The budget must be a number of minutes above 0, Infinity or 0.', 'argument');
      }
      const { model, train, reason } = callEngine(() => engine.recipeFor(chars, !!lines, minutes * 60));
      const { vocabSize, ...rest } = model;
      return { model: shortestFloats(rest), train: shortestFloats(train), reason };
    },
    estimateTrainingBytes: (model, train, vocabSize) => callEngine(() => engine.estimateTrainingBytes(
      modelArg(model), trainArg(train), wholeNumber('vocabulary size', vocabSize, 1))),
    /** The defaults of loadAnalysis()'s methods: { ngramOrder, maxNgramOrder, reachDistance, maxReachDistance, reachSamples, valFraction }. */
    analysisDefaults,
    /** "Why it works" on a model file: the n-gram baseline, gate saturation, the gradient's reach. */
    loadAnalysis: (bytes) => new Analysis(callEngine(() => engine.ModelAnalysis.fromBytes(bytesArg(bytes))),
      analysisDefaults),
    /** A text's figures before any model: { chars, trainChars, valChars, vocab }. Checks its UTF-8. */
    describeText: (text, valFraction = defaults.train.valFraction) => {
      const f = callEngine(() => engine.describeText(textArg(text), valFraction));
      return { chars: f.chars, trainChars: f.trainChars, valChars: f.valChars, vocab: Array.from(f.symbols) };
    },
  });
}

async function requireFeatures() {
  if (!(await simd())) {
    throw new CharRnnError('This browser does not support WebAssembly SIMD, which the trainer needs. ' +
      'Use a current Chrome, Edge, Firefox or Safari (16.4+).', 'environment');
  }
  if (!(await exceptions())) {
    throw new CharRnnError('This browser does not support WebAssembly exception handling. Use a current browser.',
      'environment');
  }
}

// The Emscripten module, given its bytes (wasmBinary), its compiled form (wasmModule) or where to
// fetch it (wasmUrl; default: beside this file).
async function instantiate({ wasmFile, factory }, { wasmUrl, wasmBinary, wasmModule }) {
  if (isNode && !wasmBinary) {
    const bytes = await nodeGlobals(wasmFile);
    if (!wasmModule) wasmBinary = bytes;
  }
  const createModule = (await factory()).default;
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
          `The engine's WebAssembly could not be loaded (${e?.message ?? e}).`, 'environment')));
      return {};
    };
  }
  return Promise.race([createModule(options), failure]);
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

// The messages between the trainer page and its training worker, in one place. The page calls the
// worker through Comlink (CALL: name, arguments, answer); the worker reports to the page with plain
// one-way messages ({ report: { type: REPORT.x, ...fields } }), a few a second, which no one
// answers. Both sides take the names from here.
//
// Shapes used below:
//   TextSummary   { name, bytes, chars?, trainChars?, valChars?, vocab? } (the counts once the
//                 engine has counted the text), + preview { text, truncated } | null when asked
//   SessionInfo   { threads: ThreadInfo, modelConfig, trainConfig, vocab, parameters, trainChars,
//                 valChars, stepsPerEpoch, iteration, epoch, learningRate, text: TextSummary,
//                 valSliceChars, best: { iteration, valLoss } | null, budget: Budget }
//   ThreadInfo    { requested, threads, running, starting, batchSize }
//   Budget        { minutes (Infinity: until stopped), elapsedMinutes, leftMinutes (null until
//                 stopped), spent, learningRate, peakLearningRate } | null without a model
//   SavedModel    { bytes: Uint8Array (transferred), iteration, valLoss, modelConfig }
// An error the reader can act on rejects the call with its message; an engine crash rejects every
// waiting call with an error named 'EngineCrash' and the worker posts REPORT.crash.

/** The worker's API: every call the page makes. */
export const CALL = Object.freeze({
  /**
   * (wasmUrl, { noNestedWorkers, testHooks }) → the engine's default settings and its settings
   * table: { model, train, schema } (schema: charrnn.d.ts, Setting).
   */
  init: 'init',
  /** (source: Uint8Array | Blob, { name, wantPreview, replaceOnError, countLater }) → TextSummary. */
  stageText: 'stageText',
  /** () → TextSummary of the staged text (counted now if stageText left that for later), or null. */
  stagedSummary: 'stagedSummary',
  /** (modelConfig, trainConfig) → SessionInfo: a new model on the staged text, training for the budget. */
  start: 'start',
  /**
   * ({ lines, minutes }) → { model, train, reason }: the recipe (core/training/recipe.h) for the
   * staged text, in lines mode or not, and a budget of `minutes` (Infinity: until stopped).
   */
  recipe: 'recipe',
  /** (minutes) → Budget: Train for, for the model in training (it goes on) and the next. */
  setBudget: 'setBudget',
  /** () → undefined. */
  pause: 'pause',
  /** () → undefined. */
  resume: 'resume',
  /** () → undefined: drops the model. */
  reset: 'reset',
  /** (learningRate) → undefined. */
  setLearningRate: 'setLearningRate',
  /** (n) → ThreadInfo: shards per batch, for this model and the next. */
  setThreads: 'setThreads',
  /** ({ temperature, prime, length }, any of them) → undefined: the periodic samples' settings. */
  setSampling: 'setSampling',
  /**
   * ({ id, temperature, prime, length }) → { id, iteration, text, greedy, prime, primeError,
   * temperature }; streamed meanwhile as REPORT.streamStart and REPORT.stream.
   */
  sample: 'sample',
  /** () → { latest, best }: each { iteration, valLoss, f32Bytes, f16Bytes }, best null when none or the latest. */
  saveChoices: 'saveChoices',
  /** ({ checkpoint, f16 }) → SavedModel of the latest weights (a fresh validation loss: REPORT.val too). */
  save: 'save',
  /** ({ f16 }) → SavedModel of the best weights. */
  saveBest: 'saveBest',
  /** () → { iteration, valLoss }: the best weights are back in place. */
  restoreBest: 'restoreBest',
  /** (p) → modelConfig: dropout from the next step on. */
  setDropout: 'setDropout',
  /**
   * (source: Uint8Array | Blob, { name, train }) → SessionInfo + { valLoss }: a model file on the
   * staged text, paused.
   */
  loadModel: 'loadModel',
  /** () → SessionInfo + { valLoss, preview }: the autosaved checkpoint on its own text, paused. */
  restoreAutosave: 'restoreAutosave',
  /** (enabled) → undefined. */
  setAutosave: 'setAutosave',
  /** () → undefined: the stored autosave is deleted. */
  discardAutosave: 'discardAutosave',
  /**
   * ({ text, neuron }) → the inspection, with its neuron ranking, of the latest weights or the best
   * (see web/worker/inspection.js; arrays transferred).
   */
  inspect: 'inspect',
  /** ({ id, layer, unit, cellState }) → { id, neuron, activations }, or null when the inspection is stale. */
  inspectedNeuron: 'inspectedNeuron',
  /** () → { iteration, valLoss, chars }: validation loss over the whole validation split. */
  evaluateFull: 'evaluateFull',
  /**
   * () → never: the test page's (?test) way to crash the engine. A WebAssembly trap runs through
   * the engine's call path, as a fault inside the engine would; the worker reports REPORT.crash.
   */
  crashForTest: 'crashForTest',
  // "Why it works" (web/worker/why.js), each a small piece of work between training chunks.
  // `iteration`: the inspection on show; the worker reads weights at least that new, or, with
  // `best: true`, the best weights kept, when the card shows those.
  /** () → { ngramOrder, maxNgramOrder, reachDistance, maxReachDistance, reachSamples, valFraction }. */
  whyDefaults: 'whyDefaults',
  /**
   * ({ text, order, pNet: Float32Array (the inspection's pActual) }) → { order, valLoss,
   * valPredictions, netValLoss (the network's latest, on the validation slice), pNgram: Float32Array,
   * advantage: { nats, chars, byContext }, countMs, cached }:
   * the n-gram counted on the training text (kept per order).
   */
  whyNgram: 'whyNgram',
  /** ({ text, iteration }) → GateSaturation (charrnn.d.ts) + { iteration, ms }, or { gates: 0, cell: 'rnn' }. */
  whyGates: 'whyGates',
  /** ({ text, position, maxDistance, iteration }) → { position, sizes: Float32Array (nearest first), iteration, ms }. */
  whyReachAt: 'whyReachAt',
  /**
   * ({ id, text, maxDistance, budgetMs, iteration }) → { id, done, measured, total, byDistance:
   * Float64Array (the mean so far), iteration, pieceMs, positionMs }: the next piece of curve `id`.
   */
  whyReachCurve: 'whyReachCurve',
});

/** The worker's reports: `type` and the fields each carries. */
export const REPORT = Object.freeze({
  /** A model begun, loaded or restored: SessionInfo. */
  session: 'session',
  /** { running, hasModel, iteration }. */
  state: 'state',
  /**
   * Training since the last report: { iteration, epoch, loss (mean over the applied steps, nats),
   * steps, skipped, msPerIter, charsPerSec, learningRate, stepMs: { send, ownShard, wait, finish } | null,
   * budget: Budget }.
   */
  progress: 'progress',
  /** Train for changed, or its time is up (training paused): Budget. */
  budget: 'budget',
  /** Validation on the slice: { iteration, valLoss, sliceChars, valMs?, nextInMs? } (a save's own has no timing). */
  val: 'val',
  /** New best weights: { iteration, valLoss }. */
  best: 'best',
  /** A periodic sample: { iteration, text, prime, primeError, greedy, temperature }. */
  sample: 'sample',
  /** A periodic sample in lines mode: { iteration, lines: SampledLine[] (charrnn.d.ts), greedy, temperature }. */
  lines: 'lines',
  /** A sample (CALL.sample) begins: { id, iteration, temperature, prime, primeError }. */
  streamStart: 'stream-start',
  /** The next piece of that sample: { id, text }. */
  stream: 'stream',
  /** An autosave was written: { iteration, valLoss }. */
  autosave: 'autosave',
  /** An autosave could not be written: { message }. */
  autosaveFailed: 'autosave-failed',
  /**
   * Training blew up and is paused: { iteration, learningRate, skipped, loss, restoredIteration,
   * restoredValLoss, restoredLearningRate, suggestedLearningRate }.
   */
  diverged: 'diverged',
  /** Helper threads started or stopped: ThreadInfo + { message } (why one stopped, or null). */
  threads: 'threads',
  /** The engine crashed: { message }. The page replaces the worker. */
  crash: 'crash',
});

/** The message that carries a report (Comlink's own messages carry an id and never `report`). */
export const reportMessage = (type, fields = {}) => ({ report: { type, ...fields } });

/** The report a message carries, or null for Comlink's messages. */
export const reportOf = (data) => data?.report ?? null;

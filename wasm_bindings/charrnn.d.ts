// Types of charrnn.js, the engine's JavaScript API.

/**
 * What a CharRnnError is about; nothing changed in the engine when one is thrown, and every object
 * goes on working.
 * - 'argument': a value the API refused before the engine saw it (its type, not a whole number, out of range).
 * - 'usage': the object cannot take the call now: it was disposed, or a trainInParallel() step is under way.
 * - 'input': the engine refused the text, the settings or the model file (the message says what to change).
 * - 'memory': the engine ran out of memory (smaller sizes may fit).
 * - 'internal': the engine failed in a way it does not expect: a bug, please report it.
 * - 'environment': load() cannot run the engine here (no WebAssembly SIMD or exception handling,
 *   or its .wasm could not be loaded).
 */
export type ErrorKind = 'argument' | 'usage' | 'input' | 'memory' | 'internal' | 'environment';

/** The API's one error type: the message says what went wrong and what to do. */
export class CharRnnError extends Error {
  readonly name: 'CharRnnError';
  readonly kind: ErrorKind;
}

/**
 * True when an error thrown by this API is not a CharRnnError: the engine crashed (a
 * WebAssembly.RuntimeError from a trap, an Emscripten abort, a stack overflow inside it). Its
 * memory can no longer be trusted: drop every object of that load() (their dispose() may throw
 * too) and load() again; in a worker, end the worker and start a new one.
 */
export function isCrash(error: unknown): boolean;

export type CellType = 'lstm' | 'gru' | 'rnn';
export type OptimizerType = 'rmsprop' | 'adam' | 'adagrad';

export interface ModelConfig {
  cell: CellType;
  embedSize: number;
  /** Units of every layer, unless hiddenSizes gives each layer its own. */
  hiddenSize: number;
  /**
   * Per-layer hidden sizes, bottom layer first, exactly `layers` of them (e.g. [256, 128]); [] (the
   * default) for every layer at hiddenSize. Equal sizes make a uniform model (read back as []).
   */
  hiddenSizes?: number[];
  layers: number;
  /** Dropout between layers and before the output layer, 0 to 0.95. */
  dropout: number;
  /** Read-only: set from the text. */
  vocabSize?: number;
}

export interface TrainConfig {
  /** Whole numbers: batchSize, seqLen, lrDecayEvery, seed (0..2^53); anything else throws a CharRnnError. */
  batchSize: number;
  seqLen: number;
  optimizer: OptimizerType;
  learningRate: number;
  /** Multiplier applied every `lrDecayEvery` steps (0: never). */
  lrDecay: number;
  lrDecayEvery: number;
  /** Clip the global gradient norm (0: off). */
  gradClip: number;
  /** Clip each gradient element to [-v, v] (0: off). */
  gradClipValue: number;
  l2: number;
  rmspropDecay: number;
  adamBeta1: number;
  adamBeta2: number;
  /**
   * Fraction of the text, from its end, held out for validation. With `lines`: that share of the
   * lines, whole, spread through the text; 0 holds none out (memorising: every line trains).
   */
  valFraction: number;
  seed: number;
  /** Each line is one example from a fresh state (the lines mode); the model samples whole lines. */
  lines: boolean;
}

export interface SampleSettings {
  temperature: number;
  argmax: boolean;
  /** 0: all characters. */
  topK: number;
  seed: number;
}

export interface SampleOptions extends Partial<SampleSettings> {
  prime?: string;
  length?: number;
}

export interface SampleLinesOptions extends Partial<SampleSettings> {
  /** Lines to sample (1 to 10,000; default 5). */
  count?: number;
  /** A line without a line break by then is cut (default 200). */
  maxChars?: number;
  /** The first characters of every line (no line break; in the vocabulary). */
  prime?: string;
}

export interface SampledLine {
  /** The line, without its line break. */
  text: string;
  /** false: cut at maxChars before the model ended the line. */
  complete: boolean;
  /** The line occurs as a whole line of the training text (Model: of options.text). */
  fromText: boolean;
}

export interface TrainStats {
  /** Steps run (applied + skipped). */
  steps: number;
  applied: number;
  /** Steps not applied because the loss or a gradient was NaN or infinite. */
  skipped: number;
  /** Characters the steps predicted (every step's real targets: a padded line's padding is not counted). */
  chars: number;
  /** Sum of the applied steps' losses (nats/char), so chunks can be merged. */
  lossSum: number;
  /** Mean loss (nats/char) of the applied steps; NaN if all were skipped. */
  loss: number;
  gradNorm: number;
  /** The run blew up (no step applied, or a mean loss far above a uniform guess): training stopped. */
  diverged: boolean;
  /** The time budget (trainFor) is up: train() stopped for it, and takes no more steps. */
  budgetSpent: boolean;
  iteration: number;
  /** Epochs done, fractional. */
  epoch: number;
  learningRate: number;
}

export interface RolledBack {
  /** Iteration of the weights now in place (the last known good ones). */
  iteration: number;
  /** Their validation loss when they were marked good (NaN: never measured). */
  valLoss: number;
  /** The learning rate they trained at, now in force again. */
  learningRate: number;
  /** A rate to resume at: a tenth of the one that blew up, at most the one in force. */
  suggestedLearningRate: number;
}

/**
 * Inside the network for a text of N characters (code points), a model of L layers of H units,
 * and K = topK. With per-layer hidden sizes H is the widest layer's and layer l has layerHidden[l]
 * units: its rows keep the stride H and units from layerHidden[l] on are zeros (no neuron). Characters outside the vocabulary have id -1: they are not fed to the network
 * (the state and guesses stay those after the previous character) and pActual is 0 for them.
 */
export interface Inspection {
  chars: number;
  topK: number;
  layers: number;
  hidden: number;
  /** [L] each layer's own units (all equal to hidden for a uniform model). */
  layerHidden: number[];
  hasCellState: boolean;
  /** [N] the characters. */
  text: string[];
  /** [N] vocabulary ids, -1 outside the vocabulary. */
  ids: Int32Array;
  /** [N, K] the K likeliest characters after character i (indices into vocab), likeliest first. */
  topIds: Int32Array;
  /** [N, K] their probabilities. */
  topProbs: Float32Array;
  /** [N] the probability the model gave character i before it came (NaN for the first if the vocabulary has no line break). */
  pActual: Float32Array;
  /** [L, N, H] hidden state after character i: h[(l * N + i) * H + u]. */
  h: Float32Array;
  /** [L, N, H] tanh of the cell state (LSTM only; empty otherwise). */
  c: Float32Array;
}

export interface NeuronScore {
  layer: number;
  unit: number;
  /** true: tanh(c) of an LSTM unit; false: its hidden state h. */
  cellState: boolean;
  /** Pearson correlation with the property over the inspected text. */
  r: number;
}

export interface PropertyRanking {
  property: 'inside quotes' | 'line position' | 'bracket depth' | 'inside a comment' | 'indentation' | 'inside a word'
    | 'inside an if condition' | 'inside an if statement';
  description: string;
  /** false: the property is constant over the text, so no unit can track it (best is empty). */
  varies: boolean;
  best: NeuronScore[];
}

export interface TextFigures {
  chars: number;
  trainChars: number;
  valChars: number;
  /** The distinct characters, sorted by code point: the vocabulary a model would get. */
  vocab: string[];
}

export interface Sampler {
  prime(text: string): void;
  /** Primes with the characters in the vocabulary; returns those left out ('' if none). */
  primeKnown(text: string): string;
  next(n?: number): string;
  setSettings(settings: Partial<SampleSettings>): void;
  probabilities(): Float32Array;
  dispose(): void;
}

export interface Model {
  readonly config: ModelConfig;
  readonly vocab: string[];
  readonly parameters: number;
  sampler(settings?: Partial<SampleSettings>): Sampler;
  sample(options?: SampleOptions): string;
  /** Trained on whole lines (TrainConfig.lines). */
  readonly lines: boolean;
  /** Whole lines, marked against the lines of `text` (omitted: none marked). */
  sampleLines(options?: SampleLinesOptions & { text?: string }): SampledLine[];
  inspect(text: string, options?: { topK?: number }): Inspection;
  rankNeurons(perProperty?: number): PropertyRanking[];
  dispose(): void;
}

export interface Trainer {
  readonly modelConfig: ModelConfig;
  readonly vocab: string[];
  readonly parameters: number;
  readonly trainConfig: TrainConfig;
  readonly iteration: number;
  readonly epoch: number;
  readonly learningRate: number;
  readonly trainChars: number;
  readonly valChars: number;
  readonly stepsPerEpoch: number;
  /** Runs every shard of each step in this thread (the same model as trainInParallel). */
  train(steps?: number, options?: { maxMs?: number }): TrainStats;
  /**
   * Like train(), with shards 2.. of each step in helper workers (Web Workers, or worker_threads
   * under Node; one WASM instance each), started on the first call while this thread trains.
   * threadError: why the helpers stopped (said once); training then goes on in this thread.
   * Until it resolves, every other method of this trainer (not its getters) throws a CharRnnError of kind
   * 'usage' (the step is half done).
   */
  trainInParallel(steps?: number, options?: { maxMs?: number }): Promise<TrainStats & {
    threadError: string | null;
    /** Where this call's time went, summed over its steps (absent when it trained in this thread alone). */
    timing?: { sendMs: number; ownShardMs: number; waitMs: number; finishMs: number };
  }>;
  /** Resolves when the helper workers run (or could not start). */
  helpersReady(): Promise<void>;
  /** Shards per batch (createTrainer's options.threads). */
  readonly threads: number;
  /** Helper workers running shards now. */
  readonly helperThreads: number;
  /** Mean validation loss (nats/char) over at most maxChars (a whole number; omitted: all); NaN if none. */
  evaluate(maxChars?: number): number;
  /** Offers the current weights as the rollback point with their validation loss; true if taken. */
  markGood(valLoss: number): boolean;
  rollBack(): RolledBack;
  /** Sets the rate now (under a time budget, the schedule's curve scales so that it is lr now). */
  setLearningRate(lr: number): void;
  /**
   * A time budget: minutes (the rate falls along half a cosine to its floor as the budget ends; train()
   * stops there), Infinity (until stopped: the rate halves on a validation plateau, never below an
   * eighth of its peak) or 0 (none: the fixed decay per step). Goes on from the same clock.
   */
  trainFor(minutes: number): void;
  readonly budget: { minutes: number; elapsedMinutes: number; leftMinutes: number | null; spent: boolean;
    peakLearningRate: number };
  /** The training clock in seconds (each step adds its own duration unless the caller sets it). */
  setClock(seconds: number): void;
  /** A validation loss for the schedule; true when a plateau lowered the rate. */
  observeValidation(valLoss: number): boolean;
  setText(text: string | Uint8Array): void;
  /** The file records the iteration (a model loaded from it goes on counting from there). */
  save(options?: { checkpoint?: boolean; f16?: boolean }): Uint8Array;
  /** Keeps the current weights as the best when valLoss is below the best's so far; true if kept. */
  keepIfBest(valLoss: number): boolean;
  /** The best weights kept, or null before the first keepIfBest. */
  readonly best: BestWeights | null;
  /** Puts the best weights back in place; training goes on from them. Throws if none are kept. */
  restoreBest(): void;
  /** The best weights as a model file recording their iteration and validation loss. */
  saveBest(options?: { f16?: boolean }): Uint8Array;
  /** Takes the best weights from a file saveBest() wrote for this model (configuration and vocabulary must match). */
  adoptBest(bytes: Uint8Array | ArrayBuffer): void;
  /** Dropout from the next step on, 0 to 0.95. */
  setDropout(p: number): void;
  sampler(settings?: Partial<SampleSettings>): Sampler;
  sample(options?: SampleOptions): string;
  /** Whole lines, each from the start context to its line break, marked against the training text. */
  sampleLines(options?: SampleLinesOptions): SampledLine[];
  inspect(text: string, options?: { topK?: number }): Inspection;
  rankNeurons(perProperty?: number): PropertyRanking[];
  dispose(): void;
}

export interface BestWeights {
  /** The iteration the weights were measured at. */
  iteration: number;
  /** Their validation loss (nats/char). */
  valLoss: number;
}

export interface Defaults {
  model: Readonly<ModelConfig>;
  /** Only in the 'training' module. */
  train?: Readonly<TrainConfig>;
  sample: Readonly<SampleSettings>;
}

/** One setting, as the engine's settings table declares it (core/model/settings.cpp). */
export interface Setting {
  /** Unique: the C++ member's name (sample_seed for the sampler's seed). */
  key: string;
  /** Its name in a model file's JSON; null: not stored there. */
  json: string | null;
  /** Its name in ModelConfig, TrainConfig or SampleSettings (by group). */
  js: string;
  /** Its flag on the command line (`charrnn train` / `charrnn sample`); null: none. */
  cli: string | null;
  /** As messages name it: "The <label> must be between ...". */
  label: string;
  type: 'int' | 'float' | 'bool' | 'choice' | 'int list';
  /** Inclusive bounds of an int or float (an int list: of each of its numbers); null otherwise. */
  min: number | null;
  max: number | null;
  /** A choice's names; null otherwise. */
  choices: string[] | null;
  /** The engine's default (floats as the shortest decimal of the float: 0.002). */
  default: number | boolean | string | number[];
  /** Changes the model's shape: a change needs a new model. */
  architectural: boolean;
  group: 'model' | 'train' | 'sample';
  /** One line of help, as `charrnn train --help` shows it. */
  help: string;
}

export interface Engine {
  /** The engine's own defaults (core/model/config.h, core/generation/sampler.h). */
  readonly defaults: Readonly<Defaults>;
  /** Every model, training and sampling setting, in the engine's order (`charrnn schema` prints the same). */
  readonly schema: ReadonlyArray<Readonly<Setting>>;
  loadModel(bytes: Uint8Array | ArrayBuffer): Model;
  /** Only in the 'training' module. */
  /** options.threads: shards per batch, 1 to the batch size (default 1). */
  createTrainer?(text: string | Uint8Array, model?: Partial<ModelConfig>, train?: Partial<TrainConfig>,
    options?: { threads?: number }): Trainer;
  loadTrainer?(bytes: Uint8Array | ArrayBuffer, text: string | Uint8Array, train?: Partial<TrainConfig>,
    options?: { resume?: boolean; threads?: number }): Trainer;
  /**
   * The helper workers of threads: how many were started, and how many wait (idle) for the next
   * trainer. A disposed trainer's helpers serve the next one; idle helpers do not keep Node running.
   */
  helperWorkers?(): { started: number; idle: number };
  /** What a helper worker runs (shard_helper_worker.js): shards of a step on a replica of the model. */
  createShardRunner?(modelBytes: Uint8Array, batchSize: number, seqLen: number, streams: number): ShardRunner;
  /**
   * The recipe for a text of `chars` characters (core/training/recipe.h), the page's and the CLI's:
   * the model and training settings, and a sentence saying what was chosen and why.
   */
  recipe?(chars: number, options?: { lines?: boolean; minutes?: number }): { model: ModelConfig; train: TrainConfig; reason: string };
  estimateTrainingBytes?(model: Partial<ModelConfig>, train: Partial<TrainConfig>, vocabSize: number): number;
  /** A text's figures before any model is made (checks its UTF-8; a byte-order mark is dropped). */
  describeText?(text: string | Uint8Array, valFraction?: number): TextFigures;
  /** "Why it works" on a model file: the n-gram baseline, gate saturation, the gradient's reach. */
  loadAnalysis?(bytes: Uint8Array | ArrayBuffer): Analysis;
  /** The defaults of Analysis's methods (core/inspection/ngram.h, reach.h) and the trainer's valFraction. */
  readonly analysisDefaults?: Readonly<AnalysisDefaults>;
}

export interface AnalysisDefaults {
  ngramOrder: number;
  maxNgramOrder: number;
  /** Distances 1..reachDistance characters back. */
  reachDistance: number;
  maxReachDistance: number;
  /** Positions reach() averages over (0: every position). */
  reachSamples: number;
  valFraction: number;
}

/** The network's advantage over the n-gram after one kind of character. */
export interface AdvantageShare {
  after: 'line break' | 'closing bracket' | 'quote';
  /** Characters that follow one. */
  chars: number;
  /** Their share of the summed advantage (ln p_net - ln p_ngram), and of the characters counted. */
  advantageShare: number;
  textShare: number;
}

/** Gate saturation of L layers of S gates of H units (H the widest layer's; see Inspection). */
export interface GateSaturation {
  /** Characters read (those in the vocabulary). */
  chars: number;
  layers: number;
  gates: number;
  hidden: number;
  layerHidden: number[];
  /** [S] 'input', 'forget', 'output' (LSTM); 'reset', 'update' (GRU). */
  gateNames: string[];
  /** [L, S, H] the fraction of characters with the gate below 0.1: left[(l * S + s) * H + u]. */
  left: Float32Array;
  /** [L, S, H] the fraction above 0.9. */
  right: Float32Array;
}

export interface ReachOptions {
  /** Distances 1..maxDistance (default analysisDefaults.reachDistance). */
  maxDistance?: number;
  /** Positions averaged, evenly spaced (0: all; default analysisDefaults.reachSamples). */
  samples?: number;
}

/** The gradient's size at one position after another of one text (ascending). */
export interface ReachSession {
  readonly chars: number;
  /** [min(maxDistance, t)]: || d ln p(x_t | x_<t) / d e_{t-k} || for k = 1, 2, ... (t in 1..chars-1, ascending). */
  sizesAt(t: number): Float32Array;
  dispose(): void;
}

/** core/inspection/ngram.h, gates.h, reach.h on one model. Texts must be in its vocabulary (reach, gates). */
export interface Analysis {
  /** Counts the n-gram on the training part of `text` (the trainer's split) and keeps it. */
  countNgram(text: string | Uint8Array, options?: { order?: number; valFraction?: number }):
    { order: number; valLoss: number; valPredictions: number };
  /** [N] the kept n-gram's p(actual) per character, read after a line break (0 outside the vocabulary). */
  ngramPActual(text: string): Float32Array;
  /** From Inspection.pActual and ngramPActual of the same text. */
  advantage(text: string, pNet: Float32Array, pNgram: Float32Array):
    { nats: number; chars: number; byContext: AdvantageShare[] };
  /** LSTM and GRU only. */
  gateSaturation(text: string): GateSaturation;
  /** The mean size by distance over reachPositions' positions: byDistance[k - 1] for k back. */
  reach(text: string, options?: ReachOptions): { byDistance: Float64Array; counts: Float64Array; positions: Int32Array };
  reachPositions(chars: number, options?: ReachOptions): Int32Array;
  reachSession(text: string, options?: { maxDistance?: number }): ReachSession;
  dispose(): void;
}

/** One shard of a step, run away from its trainer: what crosses over as typed arrays. */
export interface ShardJob {
  weights: Float32Array;
  inputs: Int32Array;
  targets: Int32Array;
  /** [layers][h, then c][streams * that layer's hidden size] */
  state: Float32Array;
  /** [streams][4] dropout generator words */
  rng: Uint32Array;
}

/** Runs shard jobs on the engine's replica of a model (core/training/shard_replica.h). */
export interface ShardRunner {
  run(job: ShardJob): { loss: number; grads: Float32Array; state: Float32Array; rng: Uint32Array };
  dispose(): void;
}

export function load(options?: {
  module?: 'training' | 'sampling';
  wasmUrl?: string;
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where the helper workers' script is (default: shard_helper_worker.js beside charrnn.js). */
  helperUrl?: string;
  /** The .wasm compiled already (e.g. by WebAssembly.compileStreaming begun early), or a promise of it. */
  wasmModule?: WebAssembly.Module | Promise<WebAssembly.Module>;
}): Promise<Engine>;

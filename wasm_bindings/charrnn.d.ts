// Types of charrnn.js, the engine's JavaScript API.

export class CharRnnError extends Error {}

export type CellType = 'lstm' | 'gru' | 'rnn';
export type OptimizerType = 'rmsprop' | 'adam' | 'adagrad';

export interface ModelConfig {
  cell: CellType;
  embedSize: number;
  hiddenSize: number;
  layers: number;
  /** Dropout between layers and before the output layer, 0 to 0.95. */
  dropout: number;
  /** Read-only: set from the text. */
  vocabSize?: number;
}

export interface TrainConfig {
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
  /** Fraction of the text, from its end, held out for validation. */
  valFraction: number;
  seed: number;
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

export interface TrainStats {
  /** Mean loss (nats/char) of the applied steps; NaN if all were skipped. */
  loss: number;
  steps: number;
  /** Steps not applied because the loss or a gradient was NaN or infinite. */
  skipped: number;
  gradNorm: number;
  iteration: number;
  /** Epochs done, fractional. */
  epoch: number;
  learningRate: number;
}

export interface Sampler {
  prime(text: string): void;
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
  train(steps?: number): TrainStats;
  evaluate(maxChars?: number): number;
  setLearningRate(lr: number): void;
  setText(text: string | Uint8Array): void;
  save(options?: { checkpoint?: boolean; f16?: boolean }): Uint8Array;
  sampler(settings?: Partial<SampleSettings>): Sampler;
  sample(options?: SampleOptions): string;
  dispose(): void;
}

export interface Engine {
  loadModel(bytes: Uint8Array | ArrayBuffer): Model;
  /** Only in the 'training' module. */
  createTrainer?(text: string | Uint8Array, model?: Partial<ModelConfig>, train?: Partial<TrainConfig>): Trainer;
  loadTrainer?(bytes: Uint8Array | ArrayBuffer, text: string | Uint8Array, train?: Partial<TrainConfig>,
    options?: { resume?: boolean }): Trainer;
  estimateTrainingBytes?(model: Partial<ModelConfig>, train: Partial<TrainConfig>, vocabSize: number): number;
}

export const MODEL_DEFAULTS: Readonly<ModelConfig>;
export const TRAIN_DEFAULTS: Readonly<TrainConfig>;
export const SAMPLE_DEFAULTS: Readonly<SampleSettings>;

export function load(options?: {
  module?: 'training' | 'sampling';
  wasmUrl?: string;
  wasmBinary?: ArrayBuffer | Uint8Array;
}): Promise<Engine>;

// Checks of what callers pass, before it reaches the engine: each returns the value as the engine
// takes it, or throws a CharRnnError of kind 'argument' naming what to give.
import { CharRnnError } from './errors.js';

const refuse = (message) => new CharRnnError(message, 'argument');

export function textArg(text) {
  if (typeof text === 'string' || text instanceof Uint8Array) return text;
  if (text instanceof ArrayBuffer) return new Uint8Array(text);
  throw refuse('The text must be a string or a Uint8Array of UTF-8 bytes.');
}

export function bytesArg(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw refuse('A model file must be given as a Uint8Array or ArrayBuffer.');
}

export function stringArg(name, value) {
  if (typeof value !== 'string') throw refuse(`The ${name} must be a string.`);
  return value;
}

// JS numbers reach the engine's integers: refuse what is not a whole number in range (NaN,
// Infinity, fractions, negatives, beyond 2^53) instead of letting it be truncated or wrapped.
export function wholeNumber(name, value, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw refuse(`The ${name} must be a whole number between ${min} and ${max} (got ${String(value)}).`);
  }
  return value;
}

export function objectArg(what, given) {
  if (given != null && typeof given !== 'object') throw refuse(`${what} must be given as an object.`);
  return given ?? {};
}

/** train()'s steps and time limit. */
export function stepsArg(steps, maxMs) {
  wholeNumber('number of steps', steps, 1, 1e6);
  if (!(maxMs > 0)) throw refuse('maxMs must be a positive number of milliseconds.');
}

/** createTrainer's and loadTrainer's options.threads: shards per batch. */
export const threadsArg = (options) => wholeNumber('number of threads', objectArg('Options', options).threads ?? 1, 1, 256);

// The settings fields that are counts or seeds, by their API names.
const WHOLE_FIELDS = { seed: 'seed', topK: 'top-k', batchSize: 'batch size', seqLen: 'sequence length',
  layers: 'number of layers', hiddenSize: 'hidden size', embedSize: 'embedding size',
  lrDecayEvery: 'learning-rate decay interval' };

/** Settings over the engine's defaults, their whole-number fields checked. */
export function settingsArg(defaults, given) {
  const merged = { ...defaults, ...objectArg('Settings', given) };
  for (const [key, name] of Object.entries(WHOLE_FIELDS)) if (key in merged) wholeNumber(name, merged[key]);
  if ('hiddenSizes' in merged) hiddenSizesArg(merged.hiddenSizes);
  return merged;
}

// Per-layer hidden sizes: an array of whole numbers, one per layer ([] or absent: every layer
// has hiddenSize). Whether the count fits the layers is the engine's to say.
function hiddenSizesArg(sizes) {
  if (!Array.isArray(sizes)) {
    throw refuse('hiddenSizes must be an array of whole numbers, one per layer (e.g. [256, 128]), or [].');
  }
  sizes.forEach((size, l) => wholeNumber(`hidden size of layer ${l + 1}`, size, 1, 1 << 20));
}

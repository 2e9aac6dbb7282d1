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

// The settings that are whole numbers (counts, sizes, seeds: type 'int' in the engine's schema),
// by their API names, with the labels the engine's own messages use. load() sets them from the
// schema before any settings are checked.
let wholeFields = {};
let hiddenSizesRange = { min: 1, max: Number.MAX_SAFE_INTEGER }; // each per-layer size's

/** Takes the whole-number settings from the engine's schema (core/model/settings.cpp). */
export function useSchema(schema) {
  wholeFields = Object.fromEntries(schema.filter((s) => s.type === 'int').map((s) => [s.js, s.label]));
  const { min, max } = schema.find((s) => s.js === 'hiddenSizes');
  hiddenSizesRange = { min, max };
}

/** Settings over the engine's defaults, their whole-number fields checked. */
export function settingsArg(defaults, given) {
  const merged = { ...defaults, ...objectArg('Settings', given) };
  for (const [key, name] of Object.entries(wholeFields)) if (key in merged) wholeNumber(name, merged[key]);
  if ('hiddenSizes' in merged) hiddenSizesArg(merged.hiddenSizes);
  return merged;
}

// Per-layer hidden sizes: an array of whole numbers, one per layer ([] or absent: every layer
// has hiddenSize). Whether the count fits the layers is the engine's to say.
function hiddenSizesArg(sizes) {
  if (!Array.isArray(sizes)) {
    throw refuse('hiddenSizes must be an array of whole numbers, one per layer (e.g. [256, 128]), or [].');
  }
  const { min, max } = hiddenSizesRange;
  sizes.forEach((size, l) => wholeNumber(`hidden size of layer ${l + 1}`, size, min, max));
}

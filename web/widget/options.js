// Reads <char-rnn>'s attributes into settings. Bad values fall back to the defaults rather than
// break the widget: the page author sees the default at work and can look here for the range.
// These are the widget's own choices; what the engine decides (top-k's default, the range of
// temperatures and top-k it takes) the worker takes from the engine's settings table once the
// engine has loaded (sampler-worker.js): here a top-k not given is null, a temperature any number.

export const DEFAULTS = Object.freeze({ temperature: 0.8, length: 300, prime: '', mode: 'type' });
/** The reader's temperature slider. */
export const TEMPERATURE_SLIDER = Object.freeze({ min: 0.1, max: 2, step: 0.05 });
const MAX_LENGTH = 10000;

function number(text, fallback, min = -Infinity, max = Infinity, integer = false) {
  if (text === null || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, integer ? Math.round(value) : value));
}

/** The attributes that choose what is sampled (not how it is shown). */
export const SAMPLE_ATTRIBUTES = ['src', 'temperature', 'length', 'prime', 'seed', 'top-k'];
/** The attributes that only change how it is shown. */
export const VIEW_ATTRIBUTES = ['mode', 'controls', 'no-resample', 'no-temperature'];
/** view="inspect": the text to look at, and the neuron that colours it. */
export const INSPECT_ATTRIBUTES = ['view', 'text', 'neuron', 'state'];
/** The most characters an inspect view shows (each one is an element); longer texts are cut. */
export const INSPECT_MAX_CHARS = 5000;

/** "sample" (default) or "inspect". */
export function readView(el) {
  return el.getAttribute('view')?.trim().toLowerCase() === 'inspect' ? 'inspect' : 'sample';
}

/**
 * The text of an inspect view: the text attribute or, without one, the element's own text (a
 * first line break and trailing white space dropped). { text, cut: characters left out }.
 */
export function readInspectText(el) {
  let text = el.getAttribute('text');
  if (text === null) text = (el.textContent ?? '').replace(/^\r?\n/, '').replace(/\s+$/, '');
  const chars = Array.from(text);
  if (chars.length <= INSPECT_MAX_CHARS) return { text, cut: 0 };
  return { text: chars.slice(0, INSPECT_MAX_CHARS).join(''), cut: chars.length - INSPECT_MAX_CHARS };
}

/**
 * The neuron of an inspect view, counted from 1 as the trainer page shows it: neuron="2:37" is
 * layer 2, neuron 37; neuron="37" is neuron 37 of layer 1; none is 1:1. state="c": an LSTM's cell
 * state (tanh c) instead of its hidden state h. Returns { layer, unit, cellState } counted from 0,
 * or { error } for a value that is not one.
 */
export function readNeuron(el) {
  const value = (el.getAttribute('neuron') ?? '').trim();
  const cellState = (el.getAttribute('state') ?? '').trim().toLowerCase() === 'c';
  if (value === '') return { layer: 0, unit: 0, cellState };
  const match = /^(?:(\d+)\s*:\s*)?(\d+)$/.exec(value);
  if (!match || Number(match[1] ?? 1) < 1 || Number(match[2]) < 1) {
    return { error: `neuron="${value}" is not a neuron: write layer:neuron, counted from 1 (e.g. neuron="2:37").` };
  }
  return { layer: Number(match[1] ?? 1) - 1, unit: Number(match[2]) - 1, cellState };
}

/**
 * { src, prime, length, topK (null: the engine's default), seed (null: random), temperature } from
 * the element's attributes.
 */
export function readSampleAttributes(el) {
  const seed = number(el.getAttribute('seed'), null, 0, 2 ** 31 - 1, true);
  return {
    src: (el.getAttribute('src') ?? '').trim(),
    prime: el.getAttribute('prime') ?? DEFAULTS.prime,
    length: number(el.getAttribute('length'), DEFAULTS.length, 1, MAX_LENGTH, true),
    topK: number(el.getAttribute('top-k'), null, 0, Number.MAX_SAFE_INTEGER, true),
    seed,
    temperature: number(el.getAttribute('temperature'), DEFAULTS.temperature),
  };
}

/** "type" or "instant"; readers who asked for reduced motion always get "instant". */
export function readMode(el) {
  if (globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return 'instant';
  return el.getAttribute('mode')?.trim().toLowerCase() === 'instant' ? 'instant' : DEFAULTS.mode;
}

/**
 * Which controls to show: the words of controls="..." among "resample", "temperature" and
 * "prime" (the reader's own priming text); none given: resample and temperature; "none": no bar.
 * no-resample / no-temperature hide one.
 */
export function readControls(el) {
  const list = el.getAttribute('controls');
  const words = list === null || list.trim() === '' ? ['resample', 'temperature'] : list.toLowerCase().split(/[\s,]+/);
  return {
    resample: words.includes('resample') && !el.hasAttribute('no-resample'),
    temperature: words.includes('temperature') && !el.hasAttribute('no-temperature'),
    prime: words.includes('prime'),
  };
}

/** The temperature as shown next to the slider: 0.8, 1.25. */
export function formatTemperature(t) {
  return String(Math.round(t * 100) / 100);
}

/** The file name of a model URL, for labels and messages. */
export function modelName(url) {
  try {
    const { pathname } = new URL(url, globalThis.document?.baseURI ?? globalThis.location?.href);
    return decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}

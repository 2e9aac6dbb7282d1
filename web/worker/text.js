// The training text: what the page hands over (bytes, or a Blob this worker reads), counted and
// checked by the engine, and staged for the next model.
import { LIMITS } from '../settings/defaults.js';
import { state } from './state.js';
import { inputError, isCrash } from './crashes.js';

let textCounter = 0;

function newTextId() {
  return `${Date.now().toString(36)}-${++textCounter}`;
}

/**
 * The bytes of a text or model the page handed over: a Uint8Array, or a Blob (a File the reader
 * picked, a fetched file) which is read here, so a large file never costs the page's thread.
 */
export async function bytesOf(source, name) {
  if (!(source instanceof Blob)) return source;
  try {
    return new Uint8Array(await source.arrayBuffer());
  } catch (e) {
    throw inputError(`“${name}” could not be read (${e.message}).`);
  }
}

/** Characters, distinct symbols and the split, counted by the engine (which also checks the UTF-8). */
export function describe(bytes) {
  return state.engine.describeText(bytes);
}

/**
 * The characters (code points) of UTF-8 bytes, counted without the engine's full check: every
 * byte but a continuation byte (10xxxxxx) starts one. The recipe asks before the text is counted.
 */
export function codePoints(bytes) {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** A text's figures as a trainer made from it counted them. */
export function infoOf(trainer) {
  return { chars: trainer.trainChars + trainer.valChars, trainChars: trainer.trainChars, valChars: trainer.valChars,
    vocab: trainer.vocab };
}

/** The start of a text, for the page's text area: at most LIMITS.textAreaChars UTF-16 units. */
export function preview(bytes) {
  const limit = LIMITS.textAreaChars;
  const head = bytes.subarray(0, Math.min(bytes.length, limit * 3));
  let text = new TextDecoder().decode(head, { stream: head.length < bytes.length });
  let truncated = head.length < bytes.length;
  if (text.length > limit) {
    const code = text.charCodeAt(limit - 1);
    text = text.slice(0, code >= 0xd800 && code < 0xdc00 ? limit - 1 : limit); // never half a pair
    truncated = true;
  }
  return { text, truncated };
}

export function textSummary(text) {
  if (!text.info) return { name: text.name, bytes: text.bytes.length };
  return { name: text.name, chars: text.info.chars, trainChars: text.info.trainChars, valChars: text.info.valChars,
    vocab: text.info.vocab, bytes: text.bytes.length };
}

/**
 * CALL.stageText: makes `source` (bytes or a Blob) the text the next Train uses, and returns its
 * figures (and, if asked, the start of it for the text area). replaceOnError false keeps the
 * previous text when this one is bad.
 */
export async function stageText(source, { name, wantPreview = false, replaceOnError = true, countLater = false }) {
  const bytes = await bytesOf(source, name);
  const text = { bytes, name, textId: newTextId(), info: null, error: null };
  if (countLater) {
    // Counted (and checked) when the model is made from it: one pass over the text instead of
    // two before the page's first training step. Its figures come with start()'s answer.
    state.staged = text;
    return { name, bytes: bytes.length, preview: wantPreview ? preview(bytes) : null };
  }
  try {
    text.info = describe(bytes);
  } catch (e) {
    if (isCrash(e)) throw e;
    text.error = e.message;
    if (replaceOnError) state.staged = text;
    throw e;
  }
  state.staged = text;
  return { ...textSummary(text), preview: wantPreview ? preview(bytes) : null };
}

/** CALL.stagedSummary: the staged text's figures, counting it now if stageText left that for later; null if none. */
export function stagedSummary() {
  const { staged } = state;
  if (!staged) return null;
  if (!staged.info && !staged.error) staged.info = describe(staged.bytes);
  return textSummary(staged);
}

/** A text restored from the autosave: its own bytes and name, counted. */
export function restoredText(bytes, { textName, textId }) {
  const text = { bytes, name: textName, textId };
  text.info = describe(bytes);
  return text;
}

// Pure functions for looking inside a model, run in the page's worker, the widget and Node: the
// text the "Inside the network" card looks at by default (whole lines of the validation part of
// the training text, its last `valChars` characters, which the model never trains on: the first
// ~2,000 characters, or a later window where strings, comments, brackets and ifs vary when the
// text has them), and one neuron's activations taken out of an Inspection.

/** Index of the first byte of the last `chars` code points of UTF-8 `bytes` (0 if it has fewer). */
export function tailStart(bytes, chars) {
  if (chars <= 0) return bytes.length;
  let seen = 0;
  for (let i = bytes.length - 1; i >= 0; i--) {
    if ((bytes[i] & 0xc0) !== 0x80 && ++seen === chars) return i; // a lead byte starts a code point
  }
  return 0;
}

/**
 * About `maxChars` characters (code points) of the validation part, whole lines, chosen so that
 * the properties the card ranks vary in them: from the first line start of the validation part,
 * or from a later line start when a window there holds more of what the text has (a string
 * literal, a comment, nested brackets, an if; see excerptWindow). Only the first `scanChars`
 * characters of the validation part are scanned. Falls back to the start of the text when there
 * is no validation part.
 */
export function validationExcerpt(bytes, valChars, { maxChars = 2000, minChars = 1000, scanChars = 200000 } = {}) {
  const start = valChars > 0 ? tailStart(bytes, valChars) : 0;
  // Enough bytes for scanChars code points after the first line start (at most 4 bytes each),
  // plus a line's worth to find that start.
  const window = bytes.subarray(start, Math.min(bytes.length, start + (Math.max(scanChars, maxChars) + 400) * 4));
  let text = new TextDecoder().decode(window, { stream: true });
  if (start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark is not text
  const firstBreak = text.indexOf('\n');
  // Inside a line: skip to the next one, unless the validation part starts at a line start.
  const atLineStart = start === 0 || bytes[start - 1] === 0x0a;
  if (!atLineStart && firstBreak >= 0 && firstBreak < text.length - 1) text = text.slice(firstBreak + 1);
  text = text.replace(/^\n+/, ''); // the inspection starts after a line break anyway
  const chars = Array.from(text).slice(0, Math.max(scanChars, maxChars));
  const { start: from, end } = excerptWindow(chars, { maxChars, minChars });
  return chars.slice(from, end).join('');
}

/** What excerptWindow looks for, each a list of [start, end) spans in a text's characters. */
export const EXCERPT_FEATURES = Object.freeze(['string literal', 'comment', 'nested brackets', 'if']);

/**
 * Where the C-like features of `chars` (an array of characters) are, read the way the engine's
 * lexer reads them (core/inspection/code_syntax.h): double-quoted strings (" " or “ ”, with
 * backslash escapes; one a line break ends is no string), char literals ('x', '\n': skipped),
 * /* *\/ and // comments, bracket pairs ((), [], {}) in code that hold another pair, and the
 * keyword if followed by "(". Returns { 'string literal': [[start, end), ...], ... }.
 */
export function syntaxFeatures(chars) {
  const found = Object.fromEntries(EXCERPT_FEATURES.map((f) => [f, []]));
  const open = []; // brackets not yet closed: { at, holds (another pair) }
  const word = (ch) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    const ch = chars[i];
    if (ch === '"' || ch === '“') {
      const close = ch === '"' ? '"' : '”';
      let j = i + 1;
      while (j < n && chars[j] !== close && chars[j] !== '\n') j += chars[j] === '\\' ? 2 : 1;
      if (chars[j] === close) found['string literal'].push([i, j + 1]);
      i = j;
    } else if (ch === "'") {
      // A char literal only when it closes right after ('x', '\n', '\''): prose's apostrophes open nothing.
      const end = chars[i + 1] === '\\' ? i + 3 : i + 2;
      if (chars[i + 1] !== '\n' && chars[end] === "'") i = end;
    } else if (ch === '/' && chars[i + 1] === '*') {
      let j = i + 2;
      while (j < n && !(chars[j] === '*' && chars[j + 1] === '/')) j++;
      if (j < n) found.comment.push([i, j + 2]);
      i = j + 1;
    } else if (ch === '/' && chars[i + 1] === '/') {
      let j = i + 2;
      while (j < n && chars[j] !== '\n') j++;
      found.comment.push([i, j]);
      i = j - 1;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      open.push({ at: i, holds: false });
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const pair = open.pop(); // a closer with nothing open is ignored
      if (pair?.holds) found['nested brackets'].push([pair.at, i + 1]);
      if (pair && open.length) open.at(-1).holds = true;
    } else if (ch === 'i' && chars[i + 1] === 'f' && !word(chars[i - 1]) && !word(chars[i + 2])) {
      let j = i + 2;
      while (chars[j] === ' ' || chars[j] === '\t') j++;
      if (chars[j] === '(') found.if.push([i, i + 2]);
    }
  }
  found['nested brackets'].sort((a, b) => a[0] - b[0]);
  return found;
}

/**
 * The window of whole lines the card inspects by default: { start, end } indices into `chars`.
 * Every window starts at a non-empty line and runs to the last line break within `maxChars`
 * (mid-line at maxChars when that would keep fewer than `minChars`). Of them, the first that
 * holds the most kinds of syntaxFeatures() whole; the first window when none holds any (prose).
 */
export function excerptWindow(chars, { maxChars = 2000, minChars = 1000 } = {}) {
  const n = chars.length;
  const endOf = (start) => {
    if (n - start <= maxChars) return n;
    let cut = start + maxChars;
    while (cut > start && chars[cut - 1] !== '\n') cut--;
    return cut - start >= minChars ? cut : start + maxChars;
  };
  const features = Object.values(syntaxFeatures(chars)).filter((spans) => spans.length);
  // Per kind, the earliest end of a span starting at or after spans[k] (suffix minimum).
  const soonestEnd = features.map((spans) => {
    const out = new Array(spans.length + 1).fill(Infinity);
    for (let k = spans.length - 1; k >= 0; k--) out[k] = Math.min(spans[k][1], out[k + 1]);
    return out;
  });
  const firstFrom = (spans, start) => {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid][0] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let best = { start: 0, end: endOf(0), score: -1 };
  for (let start = 0; start < n && best.score < features.length; start = chars.indexOf('\n', start) + 1 || n) {
    if (chars[start] === '\n') continue;
    const end = endOf(start);
    const score = features.filter((spans, f) => soonestEnd[f][firstFrom(spans, start)] <= end).length;
    if (score > best.score) best = { start, end, score };
  }
  return { start: best.start, end: best.end };
}

/**
 * One neuron's activations over an Inspection (charrnn.d.ts): after character i, h (or, with
 * cellState, tanh c) of unit `unit` in layer `layer`, all counted from 0. A strided copy.
 */
export function neuronActivations(inspection, { layer, unit, cellState }) {
  const { chars, hidden } = inspection;
  const values = cellState ? inspection.c : inspection.h;
  const out = new Float32Array(chars);
  for (let i = 0, k = layer * chars * hidden + unit; i < chars; i++, k += hidden) out[i] = values[k];
  return out;
}

// Pure functions for looking inside a model, run in the page's worker, the widget and Node: the
// text the "Inside the network" card looks at by default (the start of the validation part of the
// training text: its last `valChars` characters, which the model never trains on, from the first
// line start in it, ending at a line end), and one neuron's activations taken out of an Inspection.

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
 * About `maxChars` characters (code points) from the start of the validation part: from its first
 * line start, cut at the last line break that keeps at least `minChars` (or at `maxChars` when no
 * line ends in between). Falls back to the start of the text when there is no validation part.
 */
export function validationExcerpt(bytes, valChars, { maxChars = 2000, minChars = 1000 } = {}) {
  const start = valChars > 0 ? tailStart(bytes, valChars) : 0;
  // Enough bytes for maxChars code points after the first line start (at most 4 bytes each),
  // plus a line's worth to find that start.
  const window = bytes.subarray(start, Math.min(bytes.length, start + (maxChars + 400) * 4));
  let text = new TextDecoder().decode(window, { stream: true });
  if (start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark is not text
  const firstBreak = text.indexOf('\n');
  // Inside a line: skip to the next one, unless the validation part starts at a line start.
  const atLineStart = start === 0 || bytes[start - 1] === 0x0a;
  if (!atLineStart && firstBreak >= 0 && firstBreak < text.length - 1) text = text.slice(firstBreak + 1);
  text = text.replace(/^\n+/, ''); // the inspection starts after a line break anyway
  const chars = Array.from(text);
  if (chars.length <= maxChars) return chars.join('');
  const cut = chars.slice(0, maxChars);
  const lastBreak = cut.lastIndexOf('\n');
  return (lastBreak + 1 >= minChars ? cut.slice(0, lastBreak + 1) : cut).join('');
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

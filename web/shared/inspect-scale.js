// How an inspection's characters and values look, for the inspect view (inspect-render.js): the
// symbols with whitespace made visible, the diverging colour scale of activations (as classes in a
// constructed style sheet), the probability scale, and percentages and signed activations as text.
/** How a character is shown where whitespace must be visible (the guesses, the panel). */
export function showSymbol(ch) {
  if (ch === ' ') return '␣';
  if (ch === '\n') return '↵';
  if (ch === '\t') return '⇥';
  const code = ch.codePointAt(0);
  if (code < 0x20) return String.fromCodePoint(0x2400 + code); // control pictures: ␍, ␀, ...
  if (code === 0x7f) return '␡';
  return ch;
}

/** How a character is drawn in the text: itself, except a line break (↵, then the break). */
export function drawnSymbol(ch) {
  if (ch === '\n') return '↵';
  if (ch === ' ' || ch === '\t') return ch;
  return showSymbol(ch);
}

// The diverging scale (ColorBrewer RdBu): -1 blue, 0 near white, +1 red; 41 steps of 0.05, finer
// than the eye tells apart here, and coarse enough that a refresh restyles only the characters
// whose activation really moved.
const NEGATIVE = [33, 102, 172];
const MIDDLE = [247, 247, 247];
const POSITIVE = [178, 24, 43];
const STEPS = 40;

function mix(a, b, t) {
  return a.map((x, k) => Math.round(x + (b[k] - x) * t));
}

function luminance([r, g, b]) {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

export const SCALE = Array.from({ length: STEPS + 1 }, (_, k) => {
  const a = (k / STEPS) * 2 - 1;
  const rgb = a < 0 ? mix(MIDDLE, NEGATIVE, -a) : mix(MIDDLE, POSITIVE, a);
  return { background: `rgb(${rgb.join(', ')})`, color: luminance(rgb) < 0.5 ? '#ffffff' : '#1b1f2a' };
});

// The colours as classes (ir-a0 .. ir-a40) in a stylesheet made here: thousands of spans that
// share a few classes restyle far faster than as many inline styles (the browser reuses the style
// it computed for a class). A constructed sheet needs no <style> element (and no CSP exception).
const SCALE_RULES = SCALE.map((c, k) => `.ir-text .ir-a${k} { background-color: ${c.background}; color: ${c.color}; }`);
const scaleSheets = new WeakMap(); // document -> CSSStyleSheet

export function adoptScale(root) {
  const doc = root.ownerDocument ?? root;
  const view = doc.defaultView;
  if (!view?.CSSStyleSheet || !('adoptedStyleSheets' in root)) return false;
  let sheet = scaleSheets.get(doc);
  if (!sheet) {
    sheet = new view.CSSStyleSheet();
    sheet.replaceSync(SCALE_RULES.join('\n'));
    scaleSheets.set(doc, sheet);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  return true;
}

/** The step of the scale for an activation (clamped to [-1, 1]; NaN counts as 0). */
export function step(a) {
  if (!(a === a)) return STEPS / 2; // NaN
  return Math.round((Math.max(-1, Math.min(1, a)) + 1) * (STEPS / 2));
}

/** { background, color } for an activation between -1 and +1. */
export function activationColour(a) {
  return SCALE[step(a)];
}

/** { background, color } for a probability: white to the blog's dark red. */
export function probabilityColour(p) {
  const t = Math.max(0, Math.min(1, p));
  const rgb = mix([255, 255, 255], [165, 15, 21], t ** 0.75);
  return { background: `rgb(${rgb.join(', ')})`, color: luminance(rgb) < 0.5 ? '#ffffff' : '#1b1f2a' };
}

export function percent(p) {
  if (!(p >= 0)) return '–';
  if (p > 0 && p < 0.001) return '<0.1%';
  return `${(p * 100).toFixed(p >= 0.995 ? 0 : 1)}%`;
}

export function signed(a) {
  return `${a >= 0 ? '+' : '−'}${Math.abs(a).toFixed(2)}`;
}

/** "layer 2 · neuron 37 · cell state": layer and unit counted from 1, as the page shows them. */
export function neuronName({ layer, unit, cellState }, { short = false } = {}) {
  const state = short ? (cellState ? 'c' : 'h') : (cellState ? 'cell state (tanh c)' : 'hidden state h');
  return `layer ${layer + 1} · neuron ${unit + 1} · ${state}`;
}

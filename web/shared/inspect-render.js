// Draws an inspection (see charrnn.d.ts: Inspection) the way "The Unreasonable Effectiveness of
// Recurrent Neural Networks" does: every character of the text coloured by one neuron's activation
// (a diverging scale from -1 to +1), and for the character under the pointer or the keyboard the
// model's top guesses for the next one, coloured by probability. A strip of surprise (-log p of
// each character that came) shows where the model was sure and where it was lost.
//
// Shared by the trainer page's "Inside the network" card and the <char-rnn view="inspect">
// widget (in its shadow root). Styles: inspect-render.css; colours and symbols: inspect-scale.js.
// Every character goes in as text (textContent), never as HTML. The spans are built once per text;
// a new inspection of the same text, or another neuron, only rewrites the colours that changed.
import { formatNumber } from './format.js';
import {
  showSymbol, drawnSymbol, SCALE, adoptScale, step, probabilityColour, percent, signed, neuronName,
} from './inspect-scale.js';

const INDEX = Symbol('index'); // each character's span knows its index
// White space wider than a character: a tab would stretch to the next tab stop (up to 8 wide, a
// long coloured block); it draws as a fixed cell a few characters wide, the others as one.
const WIDE_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;
const flagsOf = (ch) => (ch === '\n' ? ' ir-nl' : ch === '\t' ? ' ir-tab' : WIDE_SPACE.test(ch) ? ' ir-wide' : '');
const ATTACH_CHARS = 300; // characters put on the page per frame when a new text is drawn

const SKELETON = `<div class="ir">
  <div class="ir-main">
    <div class="ir-text" role="group"></div>
    <div class="ir-legend">
      <span class="ir-neuron"></span>
      <span class="ir-scale" aria-hidden="true"><span class="ir-low">−1</span><span class="ir-ramp"></span><span class="ir-high">+1</span></span>
    </div>
    <div class="ir-surprise">
      <canvas class="ir-strip" aria-hidden="true"></canvas>
      <p class="ir-strip-note"></p>
    </div>
  </div>
  <div class="ir-panel">
    <p class="ir-now" aria-live="polite"></p>
    <ol class="ir-top"></ol>
  </div>
</div>`;

export class InspectRender {
  /**
   * Draws into `host` (an element, or a shadow root's element). options: label (the text's
   * accessible name), strip (show the surprise strip), hint (what the panel says before a
   * character is chosen).
   */
  constructor(host, { label = 'Inspected text', strip = true,
    hint = 'Hover, tap or focus a character (then use the arrow keys) to see what the model expected next.' } = {}) {
    this.host = host;
    this.doc = host.ownerDocument;
    const wrap = this.doc.createElement('div');
    wrap.className = 'ir-wrap';
    wrap.innerHTML = SKELETON; // static markup; everything else goes in as text
    host.append(wrap);
    const $ = (s) => wrap.querySelector(s);
    this.ui = { wrap, text: $('.ir-text'), neuron: $('.ir-neuron'), low: $('.ir-low'), high: $('.ir-high'), surprise: $('.ir-surprise'), strip: $('.ir-strip'),
      stripNote: $('.ir-strip-note'), now: $('.ir-now'), top: $('.ir-top') };
    this.ui.text.setAttribute('aria-label', `${label}: arrow keys move from character to character`);
    this.ui.surprise.hidden = !strip;
    // Without constructed stylesheets (old browsers), each span gets its colours inline.
    this.inline = !adoptScale(host.getRootNode());
    this.hint = hint;
    this.data = null;
    this.chars = [];
    this.spans = [];
    this.steps = new Uint8Array(0); // the colour step each span shows (255: none yet)
    this.lineStarts = [];
    this.pending = []; // lines made but not yet on the page
    this.drawn = Promise.resolve(); // resolves when every line of the text is on the page
    this.neuron = { layer: 0, unit: 0, cellState: false };
    this.activations = new Float32Array(0);
    this.colouring = null; // another colouring than the neuron's (setColouring)
    this.onShow = null; // (i) => ..., when the panel comes to describe character i (-1: none)
    this.selected = -1; // the character the keyboard (or a tap) is on
    this.chosen = false; // whether the reader put it there (else it waits at the start, unshown)
    this.shown = -1; // the character the panel describes (the hovered one, else the selected one)
    this.showPanel(-1);
    this.wire();
  }

  wire() {
    const { text, strip } = this.ui;
    const indexOf = (target) => (target && target[INDEX] !== undefined ? target[INDEX] : -1);
    text.addEventListener('focusin', (e) => {
      const i = indexOf(e.target);
      if (i >= 0) this.select(i);
    });
    text.addEventListener('click', (e) => {
      const i = indexOf(e.target);
      if (i >= 0) this.select(i, { focus: true });
    });
    text.addEventListener('mouseover', (e) => {
      const i = indexOf(e.target);
      if (i >= 0) this.showPanel(i);
    });
    text.addEventListener('mouseleave', () => this.showPanel(this.chosen ? this.selected : -1));
    text.addEventListener('keydown', (e) => this.onKey(e));
    const fromStrip = (e) => {
      const n = this.chars.length;
      if (!n) return;
      const box = strip.getBoundingClientRect();
      const i = Math.max(0, Math.min(n - 1, Math.floor(((e.clientX - box.left) / box.width) * n)));
      this.select(i, { focus: true });
    };
    strip.addEventListener('click', fromStrip);
    // The strip's size comes from the observer: reading it in drawStrip() would force a layout of
    // the whole text in the middle of drawing it.
    this.stripSize = { width: 0, height: 0 };
    if (typeof ResizeObserver === 'function') {
      this.resizeObserver = new ResizeObserver((entries) => {
        const box = entries.at(-1).contentRect;
        if (box.width === this.stripSize.width && box.height === this.stripSize.height) return;
        this.stripSize = { width: box.width, height: box.height };
        this.drawStrip();
      });
      this.resizeObserver.observe(strip);
    }
  }

  /**
   * Shows an inspection: { text (string), chars, topK, ids, topIds, topProbs, pActual, vocab } (see
   * charrnn.d.ts: Inspection) with one neuron's activations: { neuron: { layer, unit, cellState },
   * activations: Float32Array[chars] } (inspect-data.js: neuronActivations() takes them from an Inspection). The
   * same text as before keeps its elements (and the keyboard's place); another text is drawn
   * anew, a few hundred characters per frame. Returns a promise that resolves once all of it is on
   * the page.
   */
  set(data) {
    const text = typeof data.text === 'string' ? data.text : data.text.join('');
    const same = this.data && this.text === text;
    this.data = data;
    this.text = text;
    this.neuron = data.neuron;
    this.activations = data.activations;
    if (!same) this.build(Array.from(text));
    if (this.colouring && this.colouring.values.length !== this.chars.length) this.colouring = null;
    this.colour();
    this.drawStrip();
    this.noteSurprise();
    this.showPanel(this.shown);
    return this.drawn;
  }

  /** Empties the view (no model, or the model changed). */
  clear() {
    this.data = null;
    this.text = '';
    this.build([]);
    this.drawStrip();
    this.ui.stripNote.textContent = '';
    this.ui.neuron.textContent = '';
  }

  build(chars) {
    const doc = this.doc;
    const hadFocus = this.ui.text.contains(doc.activeElement) ||
      this.ui.text.contains(this.host.getRootNode?.().activeElement);
    this.chars = chars;
    this.spans = new Array(chars.length); // made as their lines go on the page
    this.flags = chars.map(flagsOf); // classes besides the colour's
    this.steps = new Uint8Array(chars.length).fill(255);
    this.lineStarts = [0];
    for (let i = 0; i < chars.length - 1; i++) if (chars[i] === '\n') this.lineStarts.push(i + 1);
    // One block per line (the line breaks end them), made and put on the page a few hundred
    // characters per frame (attach()): no task makes or lays out thousands of elements.
    this.pending = this.lineStarts.map((start, l) => [start, this.lineStarts[l + 1] ?? chars.length]);
    if (!chars.length) this.pending = [];
    this.ui.text.replaceChildren();
    const keep = this.chosen && this.selected < chars.length ? this.selected : -1;
    this.chosen = keep >= 0;
    this.selected = keep >= 0 ? keep : (chars.length ? 0 : -1); // the keyboard's place
    this.shown = -1;
    // The keyboard's place keeps the focus it had (on the page at once, without scrolling to it).
    this.attach(keep >= 0 && hadFocus ? Math.max(ATTACH_CHARS, keep + 1) : ATTACH_CHARS);
    if (keep >= 0) this.select(keep, { focus: hadFocus, force: true, scroll: false });
    else this.showPanel(-1);
  }

  /**
   * Makes the next lines of the text and puts them on the page, about `chars` characters of them,
   * and the rest in the next frames; this.drawn resolves once all are there.
   */
  attach(chars = ATTACH_CHARS) {
    const doc = this.doc;
    const fragment = doc.createDocumentFragment();
    let count = 0;
    while (this.pending.length && count < chars) {
      const [start, end] = this.pending.shift();
      const line = doc.createElement('div');
      line.className = 'ir-line';
      for (let i = start; i < end; i++) {
        const span = doc.createElement('span');
        span[INDEX] = i;
        span.textContent = drawnSymbol(this.chars[i]);
        this.spans[i] = span;
        const classes = this.classOf(i);
        if (classes) span.className = classes;
        if (i === this.selected) span.tabIndex = 0;
        line.append(span);
      }
      count += end - start;
      fragment.append(line);
    }
    this.ui.text.append(fragment);
    if (!this.pending.length) {
      this.resolveDrawn?.();
      this.resolveDrawn = null;
      this.drawn = Promise.resolve();
      return;
    }
    if (!this.resolveDrawn) this.drawn = new Promise((resolve) => { this.resolveDrawn = resolve; });
    if (!this.attachQueued) {
      this.attachQueued = true;
      requestAnimationFrame(() => {
        this.attachQueued = false;
        if (this.pending.length) this.attach();
      });
    }
  }

  /**
   * Colours the text by another neuron: { layer, unit, cellState } (counted from 0) and its
   * activations after each character of the text shown (Float32Array[chars]).
   */
  setNeuron(neuron, activations) {
    if (!this.data || activations.length !== this.chars.length) return;
    this.neuron = neuron;
    this.activations = activations;
    this.colour();
    this.showPanel(this.shown);
  }

  /** The activation of the current neuron after character i (or the other colouring's value, -1 to +1). */
  activation(i) {
    return this.colouring ? this.colouring.values[i] : this.activations[i];
  }

  /**
   * Colours the text by something else than a neuron: { name (the legend's), low, high (the
   * scale's ends), values: Float32Array[chars] from -1 to +1 (NaN: the middle), describe(i) (the
   * panel's sentence on character i) }; null: the neuron again.
   */
  setColouring(colouring) {
    if ((colouring && colouring.values.length !== this.chars.length) || (!colouring && !this.colouring)) return;
    this.colouring = colouring;
    this.colour();
    this.showPanel(this.shown);
  }

  colour() {
    const d = this.data;
    if (!d) return;
    const c = this.colouring;
    this.ui.neuron.textContent = c ? c.name : neuronName(this.neuron);
    this.ui.low.textContent = c ? c.low : '−1';
    this.ui.high.textContent = c ? c.high : '+1';
    const { spans, steps, flags } = this;
    for (let i = 0; i < steps.length; i++) {
      const unknown = d.ids[i] < 0;
      if (unknown !== flags[i].endsWith(' ir-unknown')) {
        flags[i] = unknown ? `${flags[i]} ir-unknown` : flags[i].replace(' ir-unknown', '');
        steps[i] = 255;
      }
      const k = step(this.activation(i));
      if (steps[i] === k) continue;
      steps[i] = k;
      if (spans[i]) spans[i].className = this.classOf(i); // the rest get theirs when made
    }
  }

  /** The classes of character i's span: its colour step, and what else it is. */
  classOf(i) {
    const k = this.steps[i];
    if (this.inline && k !== 255 && this.spans[i]) {
      const { style } = this.spans[i];
      style.backgroundColor = SCALE[k].background;
      style.color = SCALE[k].color;
    }
    const colour = k === 255 || this.inline ? '' : `ir-a${k}`;
    return `${colour}${this.flags[i]}${i === this.selected ? ' ir-selected' : ''}`.trim();
  }

  /** Surprise of character i, -ln p (nats): NaN when the model gave no probability for it. */
  surprise(i) {
    const p = this.data.pActual[i];
    return p > 0 ? -Math.log(p) : (p === 0 ? Infinity : NaN);
  }

  drawStrip() {
    const canvas = this.ui.strip;
    if (this.ui.surprise.hidden) return;
    const { width, height } = this.stripSize;
    if (!width || !height) return;
    const ratio = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const n = this.chars.length;
    if (!this.data || !n) return;
    // Twice a uniform guess's surprise fills the strip: ln V is where a model that knows nothing sits.
    const cap = 2 * Math.log(Math.max(2, this.data.vocab.length));
    const w = width / n;
    // One path per shade (a few fills instead of one per character).
    const shades = 6;
    const paths = Array.from({ length: shades }, () => new Path2D());
    for (let i = 0; i < n; i++) {
      const s = this.surprise(i);
      if (!(s > 0)) continue;
      const t = Math.min(1, s / cap);
      paths[Math.min(shades - 1, Math.floor(t * shades))].rect(i * w, height * (1 - t), Math.max(w, 1), height * t);
    }
    paths.forEach((path, k) => {
      g.fillStyle = probabilityColour(0.3 + (0.7 * (k + 1)) / shades).background;
      g.fill(path);
    });
    if (this.selected >= 0 && this.chosen) {
      g.fillStyle = '#1b1f2a';
      g.fillRect(Math.min(width - 2, (this.selected + 0.5) * w - 1), 0, 2, height);
    }
  }

  noteSurprise() {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < this.chars.length; i++) {
      const s = this.surprise(i);
      if (Number.isFinite(s)) {
        sum += s;
        count++;
      }
    }
    const mean = count ? sum / count : NaN;
    this.ui.stripNote.textContent = count
      ? `Surprise, −ln p of each character that came (tall: the model was lost). Mean ${mean.toFixed(3)} nats/char.`
      : '';
    this.ui.wrap.dataset.meanSurprise = String(mean);
  }

  /** Moves the keyboard's place (the one focusable character) to i. */
  rove(i) {
    const old = this.selected;
    this.selected = i;
    const before = this.spans[old];
    if (before) {
      before.removeAttribute('tabindex');
      before.className = this.classOf(old);
    }
    const span = this.spans[i];
    if (!span) return;
    span.tabIndex = 0;
    span.className = this.classOf(i);
  }

  /** Selects character i (and focuses it with { focus: true }); the panel describes it. */
  select(i, { focus = false, force = false, scroll = true } = {}) {
    if (i < 0 || i >= this.chars.length) return;
    this.chosen = true;
    const moved = i !== this.selected || force;
    while (!this.spans[i] && this.pending.length) this.attach(); // the reader is going there
    if (moved) this.rove(i);
    if (focus) this.spans[i].focus({ preventScroll: !scroll });
    this.showPanel(i);
    if (moved) this.drawStrip();
  }

  onKey(e) {
    const n = this.chars.length;
    if (!n || e.altKey || e.metaKey) return;
    const i = this.selected < 0 ? 0 : this.selected;
    const line = this.lineOf(i);
    const column = i - this.lineStarts[line];
    const atLine = (l) => {
      const target = Math.max(0, Math.min(this.lineStarts.length - 1, l));
      const start = this.lineStarts[target];
      const end = target + 1 < this.lineStarts.length ? this.lineStarts[target + 1] - 1 : n - 1;
      return Math.min(start + column, Math.max(start, end));
    };
    let next;
    switch (e.key) {
      case 'ArrowRight': next = i + 1; break;
      case 'ArrowLeft': next = i - 1; break;
      case 'ArrowDown': next = atLine(line + 1); break;
      case 'ArrowUp': next = atLine(line - 1); break;
      case 'PageDown': next = atLine(line + 10); break;
      case 'PageUp': next = atLine(line - 10); break;
      case 'Home': next = e.ctrlKey ? 0 : this.lineStarts[line]; break;
      case 'End': next = e.ctrlKey ? n - 1
        : (line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : n - 1); break;
      default: return;
    }
    e.preventDefault();
    this.select(Math.max(0, Math.min(n - 1, next)), { focus: true });
  }

  lineOf(i) {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The panel: character i, the probability it was given, and the top guesses for the next one. */
  showPanel(i) {
    const d = this.data;
    const { now, top } = this.ui;
    this.shown = i;
    if (!d || i < 0 || i >= this.chars.length) {
      now.textContent = d ? this.hint : '';
      top.hidden = true;
      top.replaceChildren();
      this.onShow?.(-1);
      return;
    }
    const ch = this.chars[i];
    const k = d.topK;
    top.setAttribute('aria-label', `Top ${k} next characters`);
    const parts = [`“${showSymbol(ch)}”, character ${formatNumber(i + 1)} of ${formatNumber(this.chars.length)}: `];
    if (d.ids[i] < 0) parts.push('not in the model’s vocabulary (skipped).');
    else {
      const p = d.pActual[i];
      parts.push(p >= 0 ? `the model gave it ${percent(p)} (surprise ${(-Math.log(p)).toFixed(2)} nats).`
        : 'the model had no guess for it.');
    }
    parts.push(this.colouring ? ` ${this.colouring.describe(i)}` : ` Neuron ${signed(this.activation(i))}.`);
    now.textContent = parts.join('');
    const following = this.chars[i + 1];
    const items = [];
    for (let j = 0; j < k; j++) {
      const id = d.topIds[i * k + j];
      const p = d.topProbs[i * k + j];
      const symbol = d.vocab[id] ?? '?';
      const li = this.doc.createElement('li');
      const colours = probabilityColour(p);
      li.style.backgroundColor = colours.background;
      li.style.color = colours.color;
      const sym = this.doc.createElement('span');
      sym.className = 'ir-sym';
      sym.textContent = showSymbol(symbol);
      const pct = this.doc.createElement('span');
      pct.className = 'ir-p';
      pct.textContent = percent(p);
      li.append(sym, pct);
      if (symbol === following) {
        li.className = 'ir-came';
        const note = this.doc.createElement('span');
        note.className = 'ir-came-note';
        note.textContent = 'came next';
        li.append(note);
      }
      items.push(li);
    }
    top.replaceChildren(...items);
    top.hidden = false;
    this.onShow?.(i);
  }

  destroy() {
    this.resizeObserver?.disconnect();
    this.ui.wrap.remove();
  }
}

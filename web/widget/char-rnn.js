// <char-rnn src="shakespeare.safetensors" temperature="0.8" length="400" prime="ROMEO:"></char-rnn>
//
// An embeddable sample from a character-level RNN model, for blog posts: one <script type="module">
// tag, then any number of these elements. Sampling runs in one worker shared by every widget on
// the page (sampler-worker.js, beside this file), so the page stays smooth. Attributes:
//   src          the .safetensors model (relative to the page)
//   prime        text the sample continues (shown in bold)
//   length       characters to sample (default 300, at most 10000)
//   temperature  default 0.8; the reader's slider (0.1 .. 2) overrides it until it changes
//   top-k        sample only among the k likeliest characters (default: the engine's, 0: all)
//   seed         a fixed first sample; "Sample again" moves on to the next seeds
//   mode         "type" (default) types the text out as it comes, "instant" shows it at once
//   controls     words among "resample", "temperature" and "prime" (a box where readers type their
//                own priming text: Enter or its button samples), or "none"; default "resample
//                temperature"; also no-resample, no-temperature
// A priming character outside the model's vocabulary is left out, with a note under the sample.
// view="inspect" shows a fixed text instead of a sample, each character coloured by one neuron,
// with the model's top 5 guesses for the next character on hover or focus:
//   text         the text (else the element's own text content)
//   neuron       layer:neuron counted from 1, as the trainer page shows them (default 1:1)
//   state        "c": an LSTM's cell state, tanh(c), instead of its hidden state h
// Properties: state ('idle' | 'loading' | 'typing' | 'done' | 'error'), text; method sample().
// Events: 'sampled' (detail.text) once a sample is fully shown, 'inspected' (detail.chars) once an
// inspect view is drawn, 'error' (detail.message).
import { STYLES } from './styles.js';
import RENDER_STYLES from '../shared/inspect-render.css';
import { InspectRender } from '../shared/inspect-render.js';
import { neuronActivations } from '../shared/inspect-data.js';
import { Typer } from './typer.js';
import { samplerWorker } from './worker-client.js';
import {
  DEFAULTS, INSPECT_ATTRIBUTES, SAMPLE_ATTRIBUTES, TEMPERATURE_SLIDER, VIEW_ATTRIBUTES, formatTemperature, modelName,
  readControls, readInspectText, readMode, readNeuron, readSampleAttributes, readView,
} from './options.js';

// Static markup only: every piece of text from attributes or the model goes in via textContent.
const TEMPLATE = `<style>${STYLES}${RENDER_STYLES}</style>
<div class="w" part="box" role="group" aria-label="Text sampled from a character-level RNN">
  <div class="text" part="text"><span class="prime"></span><span class="out"></span><span class="caret" aria-hidden="true"></span></div>
  <div class="inspect" part="inspect" hidden></div>
  <div class="status" role="status"></div>
  <div class="bar" part="controls">
    <button type="button" class="again" part="button"><span aria-hidden="true">↻</span> Sample again</button>
    <form class="own-prime" hidden><label for="p">Your text</label><input id="p" type="text" autocomplete="off" spellcheck="false"><button type="submit" part="button">Continue it</button></form>
    <span class="temp"><label for="t">Temperature</label><input id="t" type="range"><output for="t"></output></span>
    <span class="model"></span>
  </div>
</div>`;

const SLIDER_SETTLE_MS = 250; // resample once the reader pauses on the slider, not on every step
const LOADING_NOTE_MS = 300; // say "Loading…" only when it takes long enough to notice
const INSPECT_TOP_K = 5;

/** The absolute URL of an attribute's value, or null if it is empty or not a URL. */
function resolveUrl(value) {
  if (!value) return null;
  try {
    return new URL(value, document.baseURI);
  } catch {
    return null;
  }
}

function randomSeed() {
  return Math.floor(Math.random() * 2 ** 31);
}

export class CharRnnElement extends HTMLElement {
  static observedAttributes = [...SAMPLE_ATTRIBUTES, ...VIEW_ATTRIBUTES, ...INSPECT_ATTRIBUTES];

  #ui;
  #typer;
  #run = null; // identifies the sample in progress; replies for any other are refused
  #state = 'idle';
  #text = '';
  #temperature = DEFAULTS.temperature; // the attribute's, or the reader's from the slider
  #randomSeed = randomSeed(); // used when there is no seed attribute
  #draw = 0; // "Sample again" presses since the sampling attributes last changed
  #stale = true; // what is shown does not match the attributes (or nothing is shown yet)
  #scheduled = false;
  #sliderTimer = 0;
  #loadingTimer = 0;
  #inspection = null; // view="inspect": what the worker answered for the text shown
  #render = null; // its InspectRender, made on first use
  #shown = null; // identifies the drawing in progress or done; null after a failure
  #readerPrime = null; // controls="prime": the reader's own priming text, once given
  #note = ''; // about the sample in progress (priming characters left out), shown under it

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = TEMPLATE;
    const $ = (selector) => root.querySelector(selector);
    this.#ui = {
      box: $('.w'), text: $('.text'), inspect: $('.inspect'), prime: $('.prime'), out: $('.out'), caret: $('.caret'),
      status: $('.status'),
      bar: $('.bar'), again: $('.again'), temp: $('.temp'), slider: $('#t'), value: $('output'), model: $('.model'),
      primeForm: $('.own-prime'), primeInput: $('#p'),
    };
    const node = document.createTextNode('');
    this.#ui.out.append(node);
    this.#typer = new Typer(node, () => this.#finish());
    Object.assign(this.#ui.slider, TEMPERATURE_SLIDER);
    this.#showTemperature();
    this.#ui.again.addEventListener('click', () => this.sample());
    this.#ui.slider.addEventListener('input', () => this.#onSlider());
    this.#ui.primeForm.addEventListener('submit', (event) => {
      event.preventDefault(); // Enter in the box, or its button: sample from the reader's text
      this.#readerPrime = this.#ui.primeInput.value;
      this.sample();
    });
  }

  /** 'idle' | 'loading' | 'typing' | 'done' | 'error' */
  get state() { return this.#state; }

  /** The priming text plus everything sampled so far (some of it may not be typed out yet). */
  get text() { return this.#text; }

  /** Draws a new sample (what "Sample again" does). */
  sample() {
    this.#draw++;
    this.#stale = true;
    if (this.isConnected) this.#start();
  }

  connectedCallback() {
    this.#renderView();
    if (this.#stale) this.#schedule();
  }

  disconnectedCallback() {
    // Stop sampling for a widget nobody sees; it starts again if it is put back.
    clearTimeout(this.#sliderTimer);
    clearTimeout(this.#loadingTimer);
    if (this.#run) {
      this.#run = null; // the worker stops at its next chunk
      this.#typer.reset();
      this.#setState('idle');
      this.#stale = true;
    }
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    const inspecting = readView(this) === 'inspect';
    if (name === 'neuron' || name === 'state') {
      if (inspecting && this.#inspection && !this.#run) this.#showInspection();
      return;
    }
    if (name === 'view' || (inspecting && (name === 'text' || name === 'src'))) {
      this.#renderView();
      this.#stale = true;
      this.#schedule();
      return;
    }
    if (!SAMPLE_ATTRIBUTES.includes(name)) {
      this.#renderView();
      return;
    }
    if (inspecting) return; // how to sample does not matter to the inspect view
    if (name === 'temperature') {
      this.#temperature = readSampleAttributes(this).temperature;
      this.#showTemperature();
    }
    if (name === 'prime') {
      this.#readerPrime = null; // the page's new prime replaces the reader's
      this.#ui.primeInput.value = readSampleAttributes(this).prime;
    }
    this.#draw = 0; // the same attributes always give the same first sample (with a seed)
    this.#stale = true;
    this.#schedule();
  }

  // Several attributes set one after the other (or at parse time) start one sample, not several.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected && this.#stale) this.#start();
    });
  }

  #renderView() {
    const controls = readControls(this);
    const inspecting = readView(this) === 'inspect';
    this.#ui.again.hidden = !controls.resample;
    this.#ui.temp.hidden = !controls.temperature;
    this.#ui.primeForm.hidden = !controls.prime;
    if (controls.prime && this.#readerPrime === null) this.#ui.primeInput.value = readSampleAttributes(this).prime;
    this.#ui.bar.hidden = inspecting || (!controls.resample && !controls.temperature && !controls.prime);
    this.#ui.text.hidden = inspecting;
    this.#ui.inspect.hidden = !inspecting;
    this.#ui.box.setAttribute('aria-label', inspecting ? 'A text as a character-level RNN sees it'
      : 'Text sampled from a character-level RNN');
    this.#typer.instant = readMode(this) === 'instant';
    if (this.#typer.instant) this.#typer.flush();
  }

  #showTemperature() {
    this.#ui.slider.value = String(this.#temperature);
    this.#ui.value.textContent = formatTemperature(this.#temperature);
  }

  #onSlider() {
    this.#temperature = this.#ui.slider.valueAsNumber;
    this.#showTemperature();
    // Same seed, new temperature: the reader sees what the temperature alone changes.
    this.#stale = true;
    clearTimeout(this.#sliderTimer);
    this.#sliderTimer = setTimeout(() => {
      if (this.isConnected) this.#start();
    }, SLIDER_SETTLE_MS);
  }

  #setState(state) {
    this.#state = state;
    this.#ui.text.setAttribute('aria-busy', String(state === 'loading' || state === 'typing'));
  }

  #start() {
    if (readView(this) === 'inspect') {
      this.#startInspect();
      return;
    }
    const { src, length, topK, seed } = readSampleAttributes(this);
    const prime = this.#readerPrime ?? readSampleAttributes(this).prime;
    const run = {};
    this.#run = run;
    this.#stale = false;
    clearTimeout(this.#sliderTimer);
    clearTimeout(this.#loadingTimer);
    this.#typer.reset();
    this.#text = prime;
    this.#note = '';
    this.#ui.box.classList.remove('error');
    this.#ui.status.textContent = '';
    this.#ui.prime.textContent = prime;
    this.#ui.caret.hidden = false;
    this.#ui.model.textContent = src ? modelName(src) : '';
    this.#ui.model.title = src;
    this.#setState('loading');
    const url = resolveUrl(src);
    if (!url) {
      this.#fail('No model to sample: give this element a src attribute naming a .safetensors file.');
      return;
    }
    this.#loadingTimer = setTimeout(() => {
      if (this.#run === run && this.#state === 'loading') this.#ui.status.textContent = 'Loading the model…';
    }, LOADING_NOTE_MS);
    const request = {
      url: url.href, prime, length, topK,
      temperature: this.#temperature, seed: (seed ?? this.#randomSeed) + this.#draw,
    };
    const onChunk = (chunk, info) => {
      if (this.#run !== run) return false;
      if (info?.left) this.#leftOut(prime, info.left);
      if (this.#state === 'loading') {
        this.#ui.status.textContent = this.#note;
        this.#setState('typing');
      }
      this.#text += chunk;
      this.#typer.push(chunk);
      return true;
    };
    samplerWorker().sample(request, onChunk).then(
      () => { if (this.#run === run) this.#typer.end(); },
      (error) => { if (this.#run === run) this.#fail(error?.message || String(error)); },
    );
  }

  /** view="inspect": asks the worker to run the text through the model, then draws it. */
  #startInspect() {
    const { src } = readSampleAttributes(this);
    const { text, cut } = readInspectText(this);
    const run = {};
    this.#run = run;
    this.#stale = false;
    this.#inspection = null;
    this.#shown = null;
    clearTimeout(this.#loadingTimer);
    this.#typer.reset();
    this.#ui.box.classList.remove('error');
    this.#ui.status.textContent = '';
    this.#setState('loading');
    const url = resolveUrl(src);
    if (!url) {
      this.#fail('No model to look inside: give this element a src attribute naming a .safetensors file.');
      return;
    }
    if (!text) {
      this.#fail('No text to inspect: give this element a text attribute (or put the text inside it).');
      return;
    }
    this.#loadingTimer = setTimeout(() => {
      if (this.#run === run && this.#state === 'loading') this.#ui.status.textContent = 'Loading the model…';
    }, LOADING_NOTE_MS);
    samplerWorker().inspect({ url: url.href, text, topK: INSPECT_TOP_K }).then(
      (inspection) => {
        if (this.#run !== run) return;
        this.#run = null;
        clearTimeout(this.#loadingTimer);
        this.#inspection = inspection;
        this.#ui.status.textContent = cut
          ? `Showing the first ${inspection.chars.toLocaleString('en')} characters (${cut.toLocaleString('en')} more left out).`
          : '';
        this.#showInspection();
      },
      (error) => { if (this.#run === run) this.#fail(error?.message || String(error)); },
    );
  }

  /** Draws the inspection coloured by the neuron the attributes name (or says what is wrong with it). */
  #showInspection() {
    const r = this.#inspection;
    const neuron = readNeuron(this);
    let problem = neuron.error;
    if (!problem && neuron.layer >= r.layers) {
      problem = `neuron="${this.getAttribute('neuron')}": this model has ${r.layers} layer${r.layers === 1 ? '' : 's'}.`;
    } else if (!problem && neuron.unit >= r.layerHidden[neuron.layer]) {
      problem = `neuron="${this.getAttribute('neuron')}": this model's layer ${neuron.layer + 1} has ` +
        `${r.layerHidden[neuron.layer]} neurons.`;
    } else if (!problem && neuron.cellState && !r.hasCellState) {
      problem = 'state="c": only an LSTM has a cell state; this model is not one (leave state out to see h).';
    }
    if (problem) {
      this.#fail(problem);
      return;
    }
    if (this.#state === 'error') {
      this.#ui.box.classList.remove('error');
      this.#ui.status.textContent = '';
    }
    if (!this.#render) {
      this.#render = new InspectRender(this.#ui.inspect, { label: 'Text coloured by one neuron',
        hint: 'Hover over or focus a character (then use the arrow keys) to see what the model expected next.' });
    }
    const shown = {};
    this.#shown = shown;
    this.#render.set({ ...r, neuron, activations: neuronActivations(r, neuron) }).then(() => { // a new text goes on the page over a few frames
      if (this.#shown !== shown) return; // replaced, or failed, meanwhile
      this.#setState('done');
      this.dispatchEvent(new CustomEvent('inspected', { detail: { chars: r.chars } }));
    });
  }

  /** Characters of the prime the model does not know were left out: say so, show what primed it. */
  #leftOut(prime, left) {
    const missing = Array.from(left);
    const kept = Array.from(prime).filter((ch) => !missing.includes(ch)).join('');
    this.#ui.prime.textContent = kept;
    this.#text = kept + this.#text.slice(prime.length);
    const named = missing.map((ch) => `“${ch}”`).join(', ');
    this.#note = `${named} ${missing.length === 1 ? 'is' : 'are'} not in this model's vocabulary and ` +
      `${missing.length === 1 ? 'was' : 'were'} left out of the priming text.`;
  }

  #finish() {
    this.#run = null;
    this.#ui.caret.hidden = true;
    this.#setState('done');
    this.dispatchEvent(new CustomEvent('sampled', { detail: { text: this.#text } }));
  }

  #fail(message) {
    this.#run = null;
    this.#shown = null;
    clearTimeout(this.#loadingTimer);
    this.#typer.reset();
    this.#ui.caret.hidden = true;
    this.#ui.box.classList.add('error');
    this.#ui.status.textContent = message;
    this.#setState('error');
    console.warn(`<char-rnn src="${this.getAttribute('src') ?? ''}">: ${message}`);
    this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
  }
}

// The script may be included twice (two copies of the snippet): define the element once.
if (!customElements.get('char-rnn')) customElements.define('char-rnn', CharRnnElement);

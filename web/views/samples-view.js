// The samples panel: the latest sample, the greedy argmax line, and the history of earlier
// samples with the iteration each came from, so the text can be watched turning from noise into
// words. A sample the reader asked for (streamed in) stays in the box until they ask for another
// or go back to the automatic ones; meanwhile the automatic samples go straight to the history.
// Sampled text is only ever inserted as text.
import { SAMPLING } from '../settings/defaults.js';
import { formatNumber } from '../shared/format.js';
import { LinesView } from './lines-view.js';
import { testData } from '../page/test-hooks.js';

function describe({ iteration, temperature }) {
  return `iteration ${formatNumber(iteration)} · temperature ${temperature.toFixed(2)}`;
}

/** <span class="prime">prime</span><span class="gen">text</span>, as text nodes. */
function sampleNodes(prime, text) {
  const p = document.createElement('span');
  p.className = 'prime';
  p.textContent = prime;
  const g = document.createElement('span');
  g.className = 'gen';
  g.textContent = text;
  return [p, g];
}

export class SamplesView {
  constructor() {
    this.latest = document.getElementById('sample-text');
    this.meta = document.getElementById('sample-meta');
    this.greedy = document.getElementById('greedy-text');
    this.history = document.getElementById('history');
    this.primeNote = document.getElementById('prime-error');
    this.unpin = document.getElementById('automatic-samples');
    this.unpin.addEventListener('click', () => this.setPinned(false));
    this.current = null; // { iteration, temperature, prime, text } shown in the latest box
    this.streaming = null; // the id of the requested sample streaming in
    this.pinned = false; // the box holds a sample the reader asked for
    this.count = 0; // samples shown in the box (an output for the tests: data-count)
    this.lines = new LinesView(); // lines mode: whole lines take the box's place
  }

  clear() {
    this.current = null;
    this.streaming = null;
    this.setPinned(false);
    this.latest.replaceChildren();
    delete this.latest.dataset.streaming;
    this.greedy.textContent = '';
    this.meta.textContent = '';
    this.history.replaceChildren();
    this.count = 0;
    testData(this.latest, { count: 0, iteration: null });
    this.lines.clear();
    this.latest.hidden = false;
  }

  /** Lines mode's automatic sample: marked whole lines in place of the box, and into the history. */
  showLines(sample) {
    const text = sample.lines.map((l) => l.text).join('\n');
    if (this.streaming || this.pinned) {
      this.addToHistory({ ...sample, prime: '', text });
      return;
    }
    this.retire();
    this.current = { ...sample, prime: '', text };
    this.latest.hidden = true;
    this.lines.show(sample.lines);
    this.finish(this.current);
  }

  /** An automatic sample from the worker: the box shows it, unless it holds a requested one. */
  showSample(sample) {
    if (this.streaming || this.pinned) {
      this.addToHistory(sample);
      return;
    }
    this.retire();
    this.current = sample;
    this.latest.replaceChildren(...sampleNodes(sample.prime, sample.text));
    this.finish(sample);
  }

  /** The box goes back to automatic samples (false), or holds the one asked for (true). */
  setPinned(pinned) {
    this.pinned = pinned;
    this.unpin.hidden = !pinned;
  }

  beginStream(sample) {
    this.retire();
    this.setPinned(true);
    this.latest.hidden = false;
    this.lines.box.hidden = true;
    this.streaming = sample.id;
    this.current = { ...sample, text: '' };
    const [p, g] = sampleNodes(sample.prime, '');
    this.streamNode = g.appendChild(document.createTextNode(''));
    this.latest.replaceChildren(p, g);
    this.latest.dataset.streaming = 'true';
    this.meta.textContent = `${describe(sample)} · sampling…`;
    this.notePrime(sample.primeError);
  }

  appendStream(id, text) {
    if (this.streaming !== id) return;
    this.current.text += text;
    this.streamNode.appendData(text);
  }

  endStream(result) {
    if (this.streaming !== result.id) return;
    this.streaming = null;
    delete this.latest.dataset.streaming;
    // Into the history at once, in its place among the automatic samples that follow it.
    this.addToHistory(this.current);
    this.current.inHistory = true;
    this.finish({ ...this.current, greedy: result.greedy });
  }

  /** A stream that failed: the box keeps what arrived. */
  abortStream() {
    this.streaming = null;
    delete this.latest.dataset.streaming;
  }

  finish(sample) {
    this.meta.textContent = describe(sample);
    // The greedy line continues the same priming text, shown in front of it as in the sample.
    this.greedy.replaceChildren(...sampleNodes(sample.prime ?? '', sample.greedy));
    testData(this.latest, { iteration: sample.iteration, count: ++this.count });
    this.notePrime(sample.primeError);
  }

  notePrime(message) {
    this.primeNote.hidden = !message;
    this.primeNote.textContent = message ? `${message} The sample starts without it.` : '';
  }

  // The sample being replaced goes to the top of the history.
  retire() {
    if (this.current?.text && !this.current.inHistory) this.addToHistory(this.current);
  }

  addToHistory(s) {
    const item = document.createElement('li');
    const meta = document.createElement('div');
    meta.className = 'history-meta';
    meta.textContent = describe(s);
    const pre = document.createElement('pre');
    pre.append(...sampleNodes(s.prime, s.text));
    item.append(meta, pre);
    this.history.prepend(item);
    this.thin();
  }

  // Too long a history drops every other entry of its older half, keeping the oldest, so the
  // early noise and the latest text both stay in view.
  thin() {
    const items = [...this.history.children];
    if (items.length <= SAMPLING.historyLength) return;
    const older = items.slice(items.length >> 1, items.length - 1);
    older.filter((_, i) => i % 2 === 1).forEach((li) => li.remove());
  }
}

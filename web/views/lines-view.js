// Lines mode's samples: the latest few whole lines, each marked as from the text (the engine found
// it among the training text's lines) or new, and the share of each over the latest lines, so the
// reader sees whether the model recites the list or invents. Lines are inserted as text only.
import { SAMPLING } from '../settings/defaults.js';
import { testData } from '../page/test-hooks.js';

export class LinesView {
  constructor() {
    this.box = document.getElementById('lines-samples');
    this.list = document.getElementById('sample-lines');
    this.share = document.getElementById('lines-share');
    this.recent = []; // fromText of the latest lines, oldest first
    this.count = 0; // sets of lines shown (data-count, for the tests)
  }

  clear() {
    this.box.hidden = true;
    this.list.replaceChildren();
    this.share.textContent = '';
    this.recent = [];
    this.count = 0;
    testData(this.list, { count: 0, fromText: null, lines: null });
  }

  /** lines: [{ text, complete, fromText }] from the engine. */
  show(lines) {
    this.box.hidden = false;
    this.list.replaceChildren(...lines.map(lineItem));
    this.recent.push(...lines.map((l) => l.fromText));
    this.recent.splice(0, Math.max(0, this.recent.length - SAMPLING.linesShareOver));
    const fromText = this.recent.filter(Boolean).length;
    const n = this.recent.length;
    const percent = (k) => `${Math.round((100 * k) / n)}%`;
    this.share.textContent = `Last ${n} lines: ${percent(fromText)} from the text, ${percent(n - fromText)} new.`;
    testData(this.list, { count: ++this.count, fromText, lines: n });
  }
}

function lineItem(line) {
  const li = document.createElement('li');
  const mark = document.createElement('span');
  mark.className = `line-mark ${line.fromText ? 'from-text' : 'new'}`;
  mark.textContent = line.fromText ? 'from the text' : line.complete ? 'new' : 'new (cut)';
  const text = document.createElement('span');
  text.className = 'line-text';
  text.textContent = line.text;
  li.append(mark, text);
  return li;
}

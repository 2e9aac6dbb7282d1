// Shows streamed text in a Text node: "type" mode reveals it at a typing pace as it arrives,
// "instant" mode as soon as it arrives. Text only ever goes in as text (appendData), never HTML.

const CHARS_PER_SECOND = 90;
const MAX_FRAME_MS = 100; // after a hidden tab comes back, carry on typing rather than jump

// Cuts `text` after about n UTF-16 units without splitting a surrogate pair.
function cutAfter(text, n) {
  if (n >= text.length) return text.length;
  const code = text.charCodeAt(n - 1);
  return code >= 0xd800 && code <= 0xdbff ? n + 1 : n;
}

export class Typer {
  #node;
  #onEnd;
  #pending = '';
  #ended = false;
  #frame = 0;
  #last = 0;
  #budget = 0;

  /** node: the Text node to fill; onEnd(): called once all text has been shown after end(). */
  constructor(node, onEnd) {
    this.#node = node;
    this.#onEnd = onEnd;
    this.instant = false;
  }

  /** Empties the node and forgets anything not yet shown. */
  reset() {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#pending = '';
    this.#ended = false;
    this.#node.data = '';
  }

  push(text) {
    this.#pending += text;
    this.#pump();
  }

  /** No more text will come. */
  end() {
    this.#ended = true;
    this.#pump();
  }

  /** Shows everything received so far at once (mode switched to instant). */
  flush() {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#show(this.#pending.length);
    this.#maybeEnd();
  }

  #pump() {
    if (this.instant) {
      this.#show(this.#pending.length);
    } else if (!this.#frame && this.#pending) {
      this.#show(1); // the first character without waiting for a frame
      this.#last = 0;
      this.#budget = 0;
      if (this.#pending) this.#frame = requestAnimationFrame(this.#tick);
    }
    if (!this.#frame) this.#maybeEnd();
  }

  #tick = (now) => {
    const dt = this.#last ? Math.min(now - this.#last, MAX_FRAME_MS) : 1000 / 60;
    this.#last = now;
    this.#budget += (dt * CHARS_PER_SECOND) / 1000;
    const n = Math.floor(this.#budget);
    if (n > 0) {
      this.#budget -= n;
      this.#show(n);
    }
    if (this.#pending) {
      this.#frame = requestAnimationFrame(this.#tick);
    } else {
      this.#frame = 0;
      this.#maybeEnd();
    }
  };

  #show(n) {
    if (!this.#pending) return;
    const cut = cutAfter(this.#pending, n);
    this.#node.appendData(this.#pending.slice(0, cut));
    this.#pending = this.#pending.slice(cut);
  }

  #maybeEnd() {
    if (this.#ended && !this.#pending) {
      this.#ended = false;
      this.#onEnd();
    }
  }
}

// The widget's look, inside its shadow root so none of it reaches the page. `.w` starts from
// `all: initial` so nothing the page sets on its ancestors (font, colour, text-transform, ...)
// is inherited either. Pages theme it on purpose through the --char-rnn-* custom properties
// (which do cross the shadow boundary) or ::part(box | text | inspect | controls | button).
export const STYLES = `
:host { display: block; margin: 1.5em 0; }
:host([hidden]) { display: none; }
[hidden] { display: none !important; }
.w {
  all: initial;
  display: block;
  box-sizing: border-box;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--char-rnn-color, #1f2430);
  background: var(--char-rnn-background, #fcfbf8);
  border: 1px solid var(--char-rnn-border, #d8d4ca);
  border-radius: 10px;
  overflow: hidden;
}
.w * { box-sizing: border-box; }
.text {
  display: block;
  margin: 0;
  padding: 14px 16px;
  min-height: 4.6em;
  max-height: var(--char-rnn-max-height, 24em); /* a long sample scrolls inside, the post keeps its shape */
  overflow: auto;
  font: 14px/1.55 var(--char-rnn-font, ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace);
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.prime { font-weight: 700; color: var(--char-rnn-accent, #9a3412); }
.caret {
  display: inline-block;
  width: 0.55em;
  height: 1.15em;
  margin-left: 1px;
  vertical-align: text-bottom;
  background: currentColor;
  opacity: 0.55;
  animation: blink 1s steps(1) infinite;
}
@keyframes blink { 50% { opacity: 0; } }
.status { display: block; margin: 0; padding: 0 16px 12px; font-size: 13px; color: var(--char-rnn-muted, #6b6759); }
.status:empty { display: none; }
.error .text, .error .temp, .error .inspect { display: none; }
.inspect {
  display: block;
  padding: 12px 14px;
  font-size: 13px;
  --ir-font: var(--char-rnn-font, ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace);
  --ir-font-size: 14px;
  --ir-border: var(--char-rnn-border, #d8d4ca);
  --ir-background: #fff;
  --ir-muted: var(--char-rnn-muted, #6b6759);
  --ir-focus: var(--char-rnn-accent, #9a3412);
  --ir-max-height: var(--char-rnn-max-height, 360px);
}
.error .status { padding-top: 14px; color: var(--char-rnn-error, #a61b1b); }
.error .status::before { content: "⚠ "; }
.bar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 8px 18px;
  padding: 8px 12px;
  border-top: 1px solid var(--char-rnn-border, #d8d4ca);
  background: var(--char-rnn-bar-background, #f4f2ec);
  font-size: 13px;
}
button {
  font: inherit;
  color: inherit;
  margin: 0;
  padding: 4px 11px;
  line-height: 1.4;
  background: var(--char-rnn-background, #fcfbf8);
  border: 1px solid var(--char-rnn-border, #c9c4b8);
  border-radius: 6px;
  cursor: pointer;
}
button:hover { border-color: var(--char-rnn-accent, #9a3412); }
button:focus-visible, input:focus-visible { outline: 2px solid var(--char-rnn-accent, #9a3412); outline-offset: 2px; }
.temp, .own-prime { display: flex; align-items: center; gap: 8px; }
.own-prime { flex: 1 1 16em; margin: 0; }
input[type="text"] {
  flex: 1 1 8em;
  min-width: 0;
  font: inherit;
  color: inherit;
  padding: 3px 8px;
  background: #fff;
  border: 1px solid var(--char-rnn-border, #c9c4b8);
  border-radius: 6px;
}
input[type="range"] { width: 130px; margin: 0; accent-color: var(--char-rnn-accent, #9a3412); }
output { min-width: 2.4em; font-variant-numeric: tabular-nums; }
.model {
  margin-left: auto;
  min-width: 0;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  font-size: 12px;
  color: var(--char-rnn-muted, #6b6759);
}
@media (prefers-reduced-motion: reduce) { .caret { animation: none; } }
`;

// The training text: the text area, the presets and the file picker (a file dropped anywhere on
// the page comes here too, through file-drop.js). Files go to the worker unread (it reads them
// and checks them with the engine), so a binary file is refused with the engine's message and a
// few-MB file never stalls the page.
//
// The text area shows only the start of a long text, and that preview is read-only: a stray key
// never makes its first 20,000 characters the training text in place of the whole file. "Edit as
// text" asks first, a paste replaces the text as a whole (both clear choices), and "Use the whole
// file" goes back to the file.
import { LIMITS, PRESETS } from '../settings/defaults.js';
import { showMessage, closeMessage, askConfirm } from '../views/messages.js';
import { formatNumber, formatBytes } from '../shared/format.js';
import { testData } from './test-hooks.js';
import { applyPresetSettings } from '../settings/presets.js';

const area = () => document.getElementById('text');
const statsLine = () => document.getElementById('text-stats');
const note = () => document.getElementById('text-note');

/** How a symbol of the vocabulary is shown: whitespace made visible. */
export function showSymbol(symbol) {
  return { '\n': '↵', ' ': '␣', '\t': '⇥', '\r': '␍' }[symbol] ?? symbol;
}

let stage; // (bytes or a Blob, options) => Promise<summary>, from initTextSource
let offerPretrained; // (preset) => loads the preset's pretrained model, from initTextSource
let editTimer = 0;
let dirty = false;
let staging = null; // the text area's edits on their way to the worker (flushEdits), until staged or refused
let shownSymbols = null; // the vocabulary on show, joined
// The long text whose start the text area shows: { name, chars, bytes, shownChars, source, edited }
// (source: the Blob, to go back to the whole file; edited: null, 'edited' or 'pasted'). Null when
// the text area holds the whole text.
let partial = null;
let shownSummary = null; // the figures the stats line shows
let pending = Promise.resolve(); // the latest text being loaded (a file, a preset)

/**
 * Wires the data panel. stageText(bytesOrBlob, { name, wantPreview, replaceOnError }) hands a text to
 * the worker and resolves with its figures (or rejects with the engine's message); loadPretrained(preset)
 * loads a preset's pretrained model (offered when the preset is chosen).
 */
export function initTextSource({ stageText, loadPretrained }) {
  stage = stageText;
  offerPretrained = loadPretrained;
  area().addEventListener('input', edited);
  area().addEventListener('paste', pastedOverPreview);

  const picker = document.getElementById('text-file');
  document.getElementById('open-text').addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    if (picker.files[0]) loadFile(picker.files[0]);
    picker.value = ''; // choosing the same file again still loads it
  });

  const presets = document.getElementById('presets');
  for (const preset of PRESETS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = preset.label;
    b.addEventListener('click', () => {
      applyPresetSettings(preset);
      loadPreset(preset.id);
    });
    presets.append(b);
  }
}

/** The text area changed: it is the training text from now on (staged after a pause in typing). */
function edited() {
  dirty = true;
  closeMessage('text-file'); // "Loaded “x.txt”…" no longer describes the text
  clearTimeout(editTimer);
  editTimer = setTimeout(() => flushEdits().catch(() => {}), LIMITS.textEditDebounceMs);
}

/** A paste over a read-only preview: the pasted text replaces the whole text. */
function pastedOverPreview(event) {
  if (!area().readOnly || !partial) return; // an editable box takes a paste like any edit
  event.preventDefault();
  const text = event.clipboardData?.getData('text/plain');
  if (!text) return;
  area().readOnly = false;
  area().value = text;
  area().scrollTop = 0;
  partial = { ...partial, edited: 'pasted' };
  showNote();
  edited();
  flushEdits().catch(() => {});
}

async function editAsText() {
  const p = partial;
  if (!p || p.edited) return;
  const shown = formatNumber(p.shownChars);
  const ok = await askConfirm({ title: 'Edit the text here?',
    text: `The box holds only the first ${shown} characters of ${p.name}` +
      `${p.chars ? ` (of ${formatNumber(p.chars)})` : ''}. Edit them, and they become the whole training text: ` +
      `the rest of the file is left out.${p.source ? ' “Use the whole file” under the box brings it back.' : ''}`,
    confirmLabel: `Edit the first ${shown} characters`, cancelLabel: 'Keep the whole file' });
  if (!ok || partial !== p) return;
  area().readOnly = false;
  partial = { ...p, edited: 'edited' };
  showNote();
  area().focus();
  // From now on the box is the training text, as the note under it says.
  edited();
  await flushEdits().catch(() => {});
}

function useWholeFile() {
  const { source, name } = partial ?? {};
  if (source) choose(() => useText(source, name, 'text-file'));
}

function linkButton(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'link';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/** The line under the text area: what the box shows of a long text, and what training uses. */
function showNote() {
  const p = partial;
  note().hidden = !p;
  if (!p) {
    note().replaceChildren();
    return;
  }
  const start = `the first ${formatNumber(p.shownChars)} characters of ${p.name} (${formatBytes(p.bytes)})`;
  if (!p.edited) {
    note().replaceChildren(`Showing ${start}; training uses the whole file. `, linkButton('Edit as text', editAsText));
    return;
  }
  const what = p.edited === 'pasted' ? `the pasted text, in place of ${p.name}.` : `the text in the box: ${start}, edited.`;
  note().replaceChildren(`Training uses ${what} `,
    p.source ? linkButton('Use the whole file', useWholeFile) : `Load ${p.name} again to train on all of it.`);
}

/**
 * Sends text-area edits to the worker now (before Train); resolves when the text is staged. An
 * edit already on its way (sent after a pause in typing) is waited for too: Train must start on
 * the text the box shows, after it is staged, and a refusal of that Train must not be closed by
 * the staging finishing later (staging closes the refusals of the text before).
 */
export function flushEdits() {
  clearTimeout(editTimer);
  if (dirty) {
    dirty = false;
    const bytes = new TextEncoder().encode(area().value);
    // One staging of the box at a time, in the order typed: the last one is the training text.
    const run = (staging ?? Promise.resolve()).catch(() => {}).then(() => stageEdits(bytes));
    staging = run;
    const done = () => { if (staging === run) staging = null; };
    run.then(done, done);
  }
  return staging ?? Promise.resolve();
}

async function stageEdits(bytes) {
  try {
    const summary = await stage(bytes, { name: 'the text area', wantPreview: false, replaceOnError: true });
    showStats(summary);
  } catch (e) {
    if (e.name === 'EngineCrash') throw e;
    showStatsError(e.message);
    throw e;
  }
}

/** Resolves when the texts the reader chose (files, presets) are staged or refused: Train waits for it. */
export async function textReady() {
  for (let p = pending; ; p = pending) {
    await p;
    if (p === pending) return;
  }
}

/**
 * A text the reader chose (a file, a preset, the whole file again): the box's edits not yet staged
 * go first, so the chosen text is staged after them and is the training text, and a chosen text
 * that is refused leaves the box's text as the training text.
 */
function choose(load) {
  const promise = flushEdits().catch(() => {}).then(load);
  pending = promise.catch(() => {});
  return promise;
}

/** Loads a text file chosen or dropped by the reader. */
export function loadFile(file) {
  return choose(async () => {
    closeMessage('text-file');
    if (file.size > LIMITS.maxFileBytes) {
      showMessage({ id: 'text-file', kind: 'error', title: 'File too large.',
        text: `“${file.name}” is ${formatBytes(file.size)}; the trainer takes text files up to ` +
          `${formatBytes(LIMITS.maxFileBytes)}. Use a shorter part of it (the current text is unchanged).` });
      return false;
    }
    // The worker reads the file: a few MB never pass through this thread.
    return useText(file, file.name, 'text-file');
  });
}

/** Loads one of the built-in texts; quiet: no "press Train" note (a pretrained model comes with it). */
export function loadPreset(id, { quiet = false } = {}) {
  return choose(async () => {
    const preset = PRESETS.find((p) => p.id === id);
    const blob = await fetchBlob(preset.file, preset.label);
    if (!blob) return false;
    const summary = await useText(blob, preset.file.split('/').pop(), 'text-file', quiet, preset);
    if (summary) showCredit(preset.credit);
    return summary;
  });
}

/** Under the text: where a built-in text comes from, with a link to its licence (none for others). */
function showCredit(credit) {
  const line = document.getElementById('text-credit');
  line.hidden = !credit;
  if (!credit) {
    line.replaceChildren();
    return;
  }
  const link = document.createElement('a');
  link.href = credit.licence;
  link.textContent = credit.licence.split('/').pop();
  line.replaceChildren(`${credit.text} `, link, '.');
}

/** A file served with the page (as a Blob, for the worker to read), or null after saying why. */
export async function fetchBlob(url, what, started = null) {
  try {
    const response = await (started ?? fetch(url)); // started: a fetch of url already under way
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    closeMessage('fetch');
    return await response.blob();
  } catch (e) {
    showMessage({ id: 'fetch', kind: 'error', title: `Could not load ${what}.`,
      text: `${url}: ${e.message}. Check the connection and try again.` });
    return null;
  }
}

/** preset: the preset the text is (its pretrained model, if any, is offered beside Train). */
async function useText(source, name, messageId, quiet = false, preset = null) {
  let summary;
  try {
    summary = await stage(source, { name, wantPreview: true, replaceOnError: false });
  } catch (e) {
    if (e.name === 'EngineCrash') return false;
    showMessage({ id: messageId, kind: 'error', title: `Could not use “${name}”.`,
      text: `${e.message} The current text is unchanged.` });
    return false;
  }
  showText(summary, source);
  if (!quiet) {
    const pretrained = preset?.model ? `, or load the model this project trained on it` : '';
    const note = showMessage({ id: messageId, kind: 'info', autoCloseMs: 0, // it says what to do next
      title: `Loaded “${name}”.`,
      text: `Press Train to start a new model on it${pretrained} (the current model is unchanged until then).`,
      actions: preset?.model ? [{ label: `Load the pretrained ${preset.label} model`, primary: true,
        onClick: () => offerPretrained(preset) }] : [] });
    testData(note.element, { preset: preset?.id });
  }
  return summary;
}

/**
 * Puts a staged text (with its preview) into the text area and its figures under it. source: the
 * Blob it came from, if the page has it (to go back to the whole file after editing its start).
 */
export function showText(summary, source = null) {
  clearTimeout(editTimer);
  dirty = false;
  const { text, truncated } = summary.preview;
  showCredit(null); // a preset puts its own back (loadPreset)
  area().value = text;
  area().readOnly = truncated;
  partial = truncated
    ? { name: summary.name, chars: summary.chars, bytes: summary.bytes, shownChars: text.length, source, edited: null }
    : null;
  showNote();
  area().scrollTop = 0;
  showStats(summary);
}

/**
 * A new model's own split of the text shown: the engine's, which in lines mode holds out whole
 * lines (or none), where the line first showed the default fraction's.
 */
export function showSplit({ trainChars, valChars }) {
  if (shownSummary) showStats({ ...shownSummary, trainChars, valChars });
}

function showStats(summary) {
  shownSummary = summary;
  const line = statsLine();
  line.classList.remove('error');
  line.textContent = `${summary.name}: ${formatNumber(summary.chars)} characters, ` +
    `${formatNumber(summary.vocab.length)} distinct symbols; ${formatNumber(summary.trainChars)} for training, ` +
    `${formatNumber(summary.valChars)} for validation.`;
  testData(line, { chars: summary.chars, symbols: summary.vocab.length });
  const symbols = summary.vocab.join('');
  if (symbols === shownSymbols) return; // the same vocabulary: nothing to redraw
  shownSymbols = symbols;
  const vocab = document.getElementById('vocab');
  vocab.replaceChildren(...summary.vocab.map((symbol) => {
    const s = document.createElement('span');
    s.textContent = showSymbol(symbol);
    s.title = `U+${symbol.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return s;
  }));
  document.getElementById('vocab-count').textContent = `(${summary.vocab.length})`;
}

function showStatsError(message) {
  const line = statsLine();
  line.classList.add('error');
  line.textContent = message;
  testData(line, { chars: null, symbols: null });
}

// The training text: the text area, the presets and the file picker (a file dropped anywhere on
// the page comes here too, through web/file-drop.js). Files go to the worker unread (it reads them and checks them with the engine), so a binary file is refused
// with the engine's message and a few-MB file never stalls the page; the text area shows
// only the start of a long text (and becomes the training text once edited).
import { LIMITS, PRESETS } from './default-settings.js';
import { showMessage, closeMessage } from './messages.js';
import { formatNumber, formatBytes } from './format.js';
import { testData } from './test-hooks.js';

const area = () => document.getElementById('text');
const statsLine = () => document.getElementById('text-stats');
const note = () => document.getElementById('text-note');

/** How a symbol of the vocabulary is shown: whitespace made visible. */
export function showSymbol(symbol) {
  return { '\n': '↵', ' ': '␣', '\t': '⇥', '\r': '␍' }[symbol] ?? symbol;
}

let stage; // (bytes or a Blob, options) => Promise<summary>, from initTextSource
let editTimer = 0;
let dirty = false;
let shownSymbols = null; // the vocabulary on show, joined

/**
 * Wires the data panel. stageText(bytesOrBlob, { name, wantPreview, replaceOnError }) hands a text to
 * the worker and resolves with its figures (or rejects with the engine's message).
 */
export function initTextSource({ stageText }) {
  stage = stageText;
  area().addEventListener('input', () => {
    dirty = true;
    // Edited, the text area is the whole training text, even if it showed only the start of a file.
    note().hidden = true;
    clearTimeout(editTimer);
    editTimer = setTimeout(() => flushEdits().catch(() => {}), LIMITS.textEditDebounceMs);
  });

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
    b.dataset.preset = preset.id;
    b.addEventListener('click', () => loadPreset(preset.id));
    presets.append(b);
  }
}

/** Sends text-area edits to the worker now (before Train); resolves when the text is staged. */
export async function flushEdits() {
  clearTimeout(editTimer);
  if (!dirty) return;
  dirty = false;
  const bytes = new TextEncoder().encode(area().value);
  try {
    const summary = await stage(bytes, { name: 'the text area', wantPreview: false, replaceOnError: true });
    showStats(summary);
  } catch (e) {
    if (e.name === 'EngineCrash') throw e;
    showStatsError(e.message);
    throw e;
  }
}

/** Loads a text file chosen or dropped by the reader. */
export async function loadFile(file) {
  closeMessage('text-file');
  if (file.size > LIMITS.maxFileBytes) {
    showMessage({ id: 'text-file', kind: 'error', title: 'File too large.',
      text: `“${file.name}” is ${formatBytes(file.size)}; the trainer takes text files up to ` +
        `${formatBytes(LIMITS.maxFileBytes)}. Use a shorter part of it (the current text is unchanged).` });
    return false;
  }
  // The worker reads the file: a few MB never pass through this thread.
  return useText(file, file.name, 'text-file');
}

/** Loads one of the built-in texts; quiet: no "press Train" note (a pretrained model comes with it). */
export async function loadPreset(id, { quiet = false } = {}) {
  const preset = PRESETS.find((p) => p.id === id);
  const blob = await fetchBlob(preset.file, preset.label);
  if (!blob) return false;
  return useText(blob, preset.file.split('/').pop(), 'text-file', quiet);
}

/** A file served with the page (as a Blob, for the worker to read), or null after saying why. */
export async function fetchBlob(url, what) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return await response.blob();
  } catch (e) {
    showMessage({ id: 'fetch', kind: 'error', title: `Could not load ${what}.`,
      text: `${url}: ${e.message}. Check the connection and try again.` });
    return null;
  }
}

async function useText(source, name, messageId, quiet = false) {
  let summary;
  try {
    summary = await stage(source, { name, wantPreview: true, replaceOnError: false });
  } catch (e) {
    if (e.name === 'EngineCrash') return false;
    showMessage({ id: messageId, kind: 'error', title: `Could not use “${name}”.`,
      text: `${e.message} The current text is unchanged.` });
    return false;
  }
  showText(summary);
  if (!quiet) {
    showMessage({ id: messageId, kind: 'info', autoCloseMs: 0, // it says what to do next
      title: `Loaded “${name}”.`,
      text: 'Press Train to start a new model on it (the current model is unchanged until then).' });
  }
  return summary;
}

/** Puts a staged text (with its preview) into the text area and its figures under it. */
export function showText(summary) {
  clearTimeout(editTimer);
  dirty = false;
  const { text, truncated } = summary.preview;
  area().value = text;
  note().hidden = !truncated;
  if (truncated) {
    note().textContent = `Showing the first ${formatNumber(text.length)} characters of ${summary.name} ` +
      `(${formatBytes(summary.bytes)}); training uses the whole file, unless you edit the text here.`;
  }
  area().scrollTop = 0;
  showStats(summary);
}

function showStats(summary) {
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

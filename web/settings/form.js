// The model and training settings form: fills it from the defaults, reads it back as the engine's
// settings objects, and tells the page when something changed. Ranges are checked by the engine,
// whose messages name the setting; here only "is it a number at all" is checked.
import { MODEL, TRAINING } from './defaults.js';
import { formatHiddenSizes, parseHiddenSizes } from './hidden-sizes.js';

// The engine's own defaults ({ model, train }), from the worker once the engine has loaded: the
// page's choices (defaults.js) go on top of them.
let engineDefaults = null;

// key -> [element id, kind, group, label used in messages]
const FIELDS = {
  cell: ['cell', 'choice', 'model', 'cell type'],
  layers: ['layers', 'int', 'model', 'number of layers'],
  hiddenSize: ['hidden-size', 'hidden-sizes', 'model', 'hidden size'],  // also gives hiddenSizes
  embedSize: ['embed-size', 'int', 'model', 'embedding size'],
  dropout: ['dropout', 'float', 'model', 'dropout'],
  seqLen: ['seq-len', 'int', 'train', 'sequence length'],
  batchSize: ['batch-size', 'int', 'train', 'batch size'],
  optimizer: ['optimizer', 'choice', 'train', 'optimiser'],
  learningRate: ['learning-rate', 'float', 'train', 'learning rate'],
  lrDecay: ['lr-decay', 'float', 'train', 'learning-rate decay'],
  lrDecayEvery: ['lr-decay-every', 'int', 'train', 'decay interval'],
  gradClip: ['grad-clip', 'float', 'train', 'gradient clip'],
  l2: ['l2', 'float', 'train', 'L2 regularisation'],
  seed: ['seed', 'int', 'train', 'seed'],
  lines: ['lines-mode', 'switch', 'train', 'treat each line as an example'],
  valFraction: ['hold-out', 'choice-number', 'train', 'validation'],
};

/** Settings that change the shape of the model: changing one needs a new model. */
export const ARCHITECTURE = ['cell', 'layers', 'hiddenSize', 'embedSize'];

const el = (key) => document.getElementById(FIELDS[key][0]);
const lrSlider = () => document.getElementById('learning-rate-slider');

export function fieldLabel(key) {
  return FIELDS[key][3];
}

/** Shows a number the way a person would type it (0.002, not 0.0020000000949949026). */
export function formatSetting(value) {
  if (typeof value !== 'number') return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e6)) return value.toExponential();
  return String(Number(value.toPrecision(6)));
}

/** Writes settings into the form: { model: {...}, train: {...} } (missing keys are left alone). */
export function writeSettings({ model = {}, train = {} }) {
  for (const [key, value] of Object.entries({ ...model, ...train })) {
    if (!(key in FIELDS) || value === undefined) continue;
    if (FIELDS[key][1] === 'hidden-sizes') {
      el(key).value = formatHiddenSizes({ hiddenSize: value, hiddenSizes: model.hiddenSizes });
      continue;
    }
    if (FIELDS[key][1] === 'switch') {
      el(key).checked = !!value;
      continue;
    }
    if (FIELDS[key][1] === 'choice-number') addChoice(el(key), formatSetting(value));
    el(key).value = formatSetting(value);
    if (key === 'learningRate') syncSlider();
  }
  checkHiddenSizes();
}

/** The form as { model, train }; throws an Error naming the field that is not a number. */
export function readSettings() {
  const out = { model: {}, train: {} };
  for (const [key, [, kind, group, label]] of Object.entries(FIELDS)) {
    // Hidden size: { hiddenSize, hiddenSizes } against the layers read just before it.
    if (kind === 'hidden-sizes') Object.assign(out[group], parseHiddenSizes(el(key).value, out.model.layers));
    else out[group][key] = readField(key, kind, label);
  }
  return out;
}

/** The architecture settings (ARCHITECTURE) in which model settings `a` and `b` differ. */
export function changedArchitecture(a, b) {
  const shown = (m, k) => (k === 'hiddenSize' ? formatHiddenSizes(m) : String(m[k]));
  return ARCHITECTURE.filter((k) => shown(a, k) !== shown(b, k));
}

// The message under Hidden size while its text or its count does not fit Layers.
function checkHiddenSizes() {
  const note = document.getElementById('hidden-size-error');
  let message = '';
  try {
    parseHiddenSizes(el('hiddenSize').value, Number(el('layers').value));
  } catch (e) {
    message = e.message;
  }
  note.textContent = message;
  note.hidden = !message;
  el('hiddenSize').setAttribute('aria-invalid', String(!!message));
  if (message) note.scrollIntoView?.({ block: 'nearest' });
}

// A value a file brought that the list does not offer (a hold-out of 0.05) becomes a choice.
function addChoice(select, value) {
  if ([...select.options].some((o) => o.value === value)) return;
  select.add(new Option(`Hold out ${formatSetting(Number(value) * 100)}%`, value));
}

function readField(key, kind, label) {
  if (kind === 'switch') return el(key).checked;
  const raw = el(key).value.trim();
  if (kind === 'choice') return raw;
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw new Error(`Enter a number for the ${label} (it says “${raw}”).`);
  if (kind === 'int' && !Number.isInteger(value)) throw new Error(`The ${label} must be a whole number (it says ${raw}).`);
  return value;
}

export function readLearningRate() {
  return readField('learningRate', 'float', fieldLabel('learningRate'));
}

export function setLearningRate(lr) {
  writeSettings({ train: { learningRate: lr } });
}

export function defaults() {
  return { model: { ...engineDefaults?.model, ...MODEL }, train: { ...engineDefaults?.train, ...TRAINING } };
}

/** The engine's defaults, when its worker has loaded; the first time, they fill in the form. */
export function setEngineDefaults(d) {
  const first = !engineDefaults;
  engineDefaults = d;
  if (first) writeSettings(defaults());
}

// The slider works on log10 of the rate, so 1e-4 and 1e-1 are equally easy to reach.
function syncSlider() {
  const lr = Number(el('learningRate').value);
  if (lr > 0) lrSlider().value = String(Math.log10(lr));
  lrSlider().setAttribute('aria-valuetext', el('learningRate').value);
}

/**
 * Wires the form. onChange(key, value) after a field is committed (change event);
 * onLearningRate(lr) while the learning-rate slider moves, and when its box is committed.
 */
export function initSettings({ onChange, onLearningRate, onRestoreDefaults }) {
  writeSettings(defaults());
  for (const key of Object.keys(FIELDS)) {
    el(key).addEventListener('change', () => {
      if (key === 'layers' || key === 'hiddenSize') checkHiddenSizes();
      if (key === 'learningRate') {
        syncSlider();
        try {
          onLearningRate(readLearningRate());
        } catch (e) {
          onLearningRate(null, e);
        }
        return;
      }
      onChange(key);
    });
  }
  let pending = 0;
  lrSlider().addEventListener('input', () => {
    const lr = 10 ** Number(lrSlider().value);
    el('learningRate').value = formatSetting(Number(lr.toPrecision(2)));
    lrSlider().setAttribute('aria-valuetext', el('learningRate').value);
    // The slider fires on every pixel; the worker hears about it at most every 100 ms.
    clearTimeout(pending);
    pending = setTimeout(() => onLearningRate(readLearningRate()), 100);
  });
  document.getElementById('restore-defaults').addEventListener('click', () => {
    writeSettings(defaults());
    onRestoreDefaults();
  });
}

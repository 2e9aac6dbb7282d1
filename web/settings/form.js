// The model and training settings form: fills it from the defaults, reads it back as the engine's
// settings objects, and tells the page when something changed. What a setting is (int, float,
// switch or choice; model or training; its label, its range; whether changing it needs a new
// model) is the engine's settings table (core/model/settings.cpp), which the worker hands over
// with the engine's defaults. The form has only which element shows which setting, and its two
// controls of its own kind. Ranges are checked by the engine, whose messages name the setting;
// here only "is it a number at all" is checked.
import { formatHiddenSizes, parseHiddenSizes } from './hidden-sizes.js';

/** The element that shows each setting, by the setting's JS name (the schema's `js`). */
export const SETTING_ELEMENTS = Object.freeze({
  cell: 'cell', layers: 'layers', hiddenSize: 'hidden-size', embedSize: 'embed-size', dropout: 'dropout',
  seqLen: 'seq-len', batchSize: 'batch-size', optimizer: 'optimizer', learningRate: 'learning-rate',
  lrDecay: 'lr-decay', lrDecayEvery: 'lr-decay-every', gradClip: 'grad-clip', l2: 'l2', seed: 'seed',
  lines: 'lines-mode', valFraction: 'hold-out',
});

// The form's own kinds of control: Hidden size is text with one size or one per layer (it gives
// hiddenSizes too, read against the Layers read before it); Validation is a list of hold-outs.
const OWN_KIND = { hiddenSize: 'hidden-sizes', valFraction: 'choice-number' };
const KIND_OF_TYPE = { int: 'int', float: 'float', bool: 'switch', choice: 'choice' };

// From the engine, once its worker has loaded: its defaults ({ model, train }: the recipe goes on
// top of them) and its table of the model and training settings, by JS name.
let engineDefaults = null;
let table = null;
// The recipe for the staged text and budget (web/page/recipe.js), and the settings the visitor
// changed, which the recipe leaves alone until Restore defaults.
let recipe = null;
const touched = new Set();
const written = {}; // each field's value as the page last wrote it: another value there is the visitor's

const setting = (key) => {
  if (!table) throw new Error('The settings can be read once the engine has loaded: try again in a moment.');
  return table[key];
};
const kindOf = (key) => OWN_KIND[key] ?? KIND_OF_TYPE[setting(key).type];

/** The settings the form shows whose change needs a new model (the schema's `architectural`). */
export const architecture = () => Object.keys(SETTING_ELEMENTS).filter((key) => setting(key).architectural);

const el = (key) => document.getElementById(SETTING_ELEMENTS[key]);
const lrSlider = () => document.getElementById('learning-rate-slider');

export function fieldLabel(key) {
  return setting(key).label;
}

/** Shows a number the way a person would type it (0.002, not 0.0020000000949949026). */
export function formatSetting(value) {
  if (typeof value !== 'number') return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e6)) return value.toExponential();
  return String(Number(value.toPrecision(6)));
}

/**
 * Writes settings into the form: { model: {...}, train: {...} } (missing keys are left alone). It
 * goes by the element, not the engine's table, so the page's recipe shows before the engine loads.
 */
export function writeSettings({ model = {}, train = {} }) {
  for (const [key, value] of Object.entries({ ...model, ...train })) {
    if (!(key in SETTING_ELEMENTS) || value === undefined) continue;
    if (OWN_KIND[key] === 'hidden-sizes') {
      el(key).value = formatHiddenSizes({ hiddenSize: value, hiddenSizes: model.hiddenSizes });
      written[key] = el(key).value;
      continue;
    }
    if (el(key).type === 'checkbox') {
      el(key).checked = !!value;
      continue;
    }
    if (OWN_KIND[key] === 'choice-number') addChoice(el(key), formatSetting(value));
    el(key).value = formatSetting(value);
    written[key] = el(key).value;
    if (key === 'learningRate') syncSlider();
  }
  checkHiddenSizes();
}

/** The form as { model, train }; throws an Error naming the field that is not a number. */
export function readSettings() {
  const out = { model: {}, train: {} };
  for (const key of Object.keys(SETTING_ELEMENTS)) {
    const { group, label } = setting(key);
    // Hidden size: { hiddenSize, hiddenSizes } against the layers read just before it.
    if (kindOf(key) === 'hidden-sizes') Object.assign(out[group], parseHiddenSizes(el(key).value, out.model.layers));
    else out[group][key] = readField(key, kindOf(key), label);
  }
  return out;
}

/** The architecture settings (architecture()) in which model settings `a` and `b` differ. */
export function changedArchitecture(a, b) {
  const shown = (m, k) => (k === 'hiddenSize' ? formatHiddenSizes(m) : String(m[k]));
  return architecture().filter((k) => shown(a, k) !== shown(b, k));
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
  return readField('learningRate', kindOf('learningRate'), fieldLabel('learningRate'));
}

export function setLearningRate(lr) {
  writeSettings({ train: { learningRate: lr } });
}

export function defaults() {
  return { model: { ...engineDefaults?.model, ...recipe?.model }, train: { ...engineDefaults?.train, ...recipe?.train } };
}

/**
 * The recipe ({ model, train, reason }) for the next Train: the settings card says why, and with
 * writeForm, the fields the visitor has not changed take its values (lines mode is its input, not
 * its output).
 */
export function useRecipe(next, { writeForm }) {
  recipe = next;
  const reason = document.getElementById('recipe-reason');
  reason.textContent = `Train uses the settings for this text and time: ${next.reason}` +
    ([...touched].some((key) => key !== 'lines') // the lines mode is the recipe's input
      ? ' The settings you changed are kept (Restore defaults follows the recipe again).' : '');
  if (!writeForm) return;
  const visitors = (key) => touched.has(key) || (key in written && key in SETTING_ELEMENTS && el(key).value !== written[key]);
  const keep = (group) => Object.fromEntries(Object.entries(next[group]).filter(([key]) => key !== 'lines' &&
    !visitors(key) && !(key === 'hiddenSizes' && visitors('hiddenSize'))));
  writeSettings({ model: keep('model'), train: keep('train') });
}

/**
 * The engine's defaults and settings table ({ model, train, schema }), when its worker has
 * loaded: the number fields take their ranges from the table; the first time, the defaults fill
 * in the form.
 */
export function useEngineSettings({ model, train, schema }) {
  const first = !engineDefaults;
  engineDefaults = { model, train };
  table = Object.fromEntries(schema.filter((s) => s.group === 'model' || s.group === 'train').map((s) => [s.js, s]));
  for (const key of Object.keys(SETTING_ELEMENTS)) {
    const { type, min, max } = setting(key);
    if (el(key).type === 'number' && (type === 'int' || type === 'float')) Object.assign(el(key), { min, max });
  }
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
  for (const key of Object.keys(SETTING_ELEMENTS)) {
    el(key).addEventListener('change', () => {
      touched.add(key);
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
    pending = setTimeout(() => {
      try {
        onLearningRate(readLearningRate());
      } catch (e) {
        onLearningRate(null, e); // the engine has not loaded yet
      }
    }, 100);
  });
  document.getElementById('restore-defaults').addEventListener('click', () => {
    touched.clear();
    writeSettings(defaults());
    onRestoreDefaults();
  });
}

// Models: Save model / Save checkpoint, Load model (a file, a pretrained preset), the autosave on
// offer, the overfitting notice's actions (best weights back, more dropout), and Copy embed snippet.
import { CALL } from '../shared/worker-protocol.js';
import { formatNumber, formatTime } from '../shared/format.js';
import { readSettings, writeSettings, defaults } from '../settings/form.js';
import { PRESETS, LIMITS } from '../settings/defaults.js';
import { showMessage, closeMessage } from '../views/messages.js';
import { askSaveChoice } from '../views/save-dialog.js';
import { showEmbedDialog } from '../views/embed-dialog.js';
import { embedSnippet } from './embed-snippet.js';
import { modelFileName, download, checkModelFile } from './model-files.js';
import { textReady, flushEdits, showText, loadPreset } from './text-source.js';
import { testData } from './test-hooks.js';
import { $, page, loss, heldOut, valLossText } from './state.js';
import { failed } from './status.js';
import { call, booted, setAutosave } from './worker-life.js';
import { samplingSettings } from './sample-controls.js';
import { mayReplaceModel, LOAD_FILE } from './training-controls.js';
import { inspector } from './views.js';

async function save(checkpoint) {
  closeMessage('save');
  try {
    let choice = { which: 'latest', f16: false };
    if (!checkpoint) {
      // Save model asks which weights (latest or best) and which precision, with their sizes.
      choice = await askSaveChoice(await call(CALL.saveChoices), loss, { heldOut: heldOut() });
      if (!choice) return;
    }
    const saved = await call(choice.which === 'best' ? CALL.saveBest : CALL.save, { checkpoint, f16: choice.f16 });
    const name = modelFileName(saved, checkpoint, { f16: choice.f16 });
    download(saved.bytes, name);
    page.keptIteration = Math.max(page.keptIteration, saved.iteration);
    const note = showMessage({ id: 'save', kind: 'success', title: checkpoint ? 'Checkpoint saved.' : 'Model saved.',
      text: `${name}: iteration ${formatNumber(saved.iteration)}, ${valLossText(saved.valLoss)}` +
        `${heldOut() ? ' (on the slice)' : ''}.${checkpoint ? ' Loading it resumes training exactly.' : ''}` });
    testData(note.element, { valLoss: saved.valLoss, iteration: saved.iteration });
  } catch (e) {
    failed('save', 'The model was not saved.', e);
  }
}

async function loadModelBytes(source, name) {
  for (const id of ['load', 'restored', 'save']) closeMessage(id);
  let train;
  try {
    ({ train } = readSettings());
  } catch {
    train = defaults().train;
  }
  try {
    await textReady();
    await flushEdits();
    const info = await call(CALL.loadModel, source, { name, train });
    const note = showMessage({ id: 'load', kind: 'success', autoCloseMs: 0, // it says what to do next
      title: `Loaded “${name}”.`,
      text: `Iteration ${formatNumber(info.iteration)}, ${valLossText(info.valLoss, info)}` +
        `${info.valChars > 0 ? ' (on the slice)' : ''}. Training is paused: press Resume to continue training it, ` +
        'or Sample to try it.' });
    testData(note.element, { valLoss: info.valLoss });
    return true;
  } catch (e) {
    failed('load', 'The model was not loaded.', e);
    return false;
  }
}

/** A model file the reader picked or dropped; the worker reads it. */
export async function loadModelFile(file) {
  if (!(await mayReplaceModel(LOAD_FILE))) return;
  try {
    checkModelFile(file, LIMITS.memoryBudgetBytes);
  } catch (e) {
    failed('load', 'The model was not loaded.', e, ' The current model is unchanged.');
    return;
  }
  await loadModelBytes(file, file.name);
}

/** A preset's pretrained model, with its text (and, for the C-code model, its cell by name on show). */
export async function loadPretrained(preset) {
  if (!(await mayReplaceModel(LOAD_FILE))) return;
  closeMessage('load');
  const response = await fetch(preset.model).catch(() => null);
  if (!response?.ok) {
    showMessage({ id: 'load', kind: 'error', title: 'No pretrained model.',
      text: `The pretrained ${preset.label} model (${preset.model}) is not part of this site. Train one instead.` });
    return;
  }
  const blob = await response.blob();
  if (!(await loadPreset(preset.id, { quiet: true }))) return;
  if (preset.prime && !$('prime').value) {
    $('prime').value = preset.prime;
    await call(CALL.setSampling, samplingSettings());
  }
  // The model's own cell by name opens the Inside the network card (the C-code model: the quote cell).
  if ((await loadModelBytes(blob, preset.model.split('/').pop())) && preset.cell) inspector.openOn(preset.cell);
}

/** The autosaved model back, on its own text. */
export async function restoreAutosave() {
  closeMessage('autosave-offer');
  closeMessage('crash');
  if (!(await booted())) return;
  try {
    const info = await call(CALL.restoreAutosave);
    showText({ ...info.text, preview: info.preview });
    page.lastStaged = null; // the worker holds it now, and so does the autosave
    page.autosaveOffer = null;
    await setAutosave(true);
    page.autosaved = true; // it came from there
    const note = showMessage({ id: 'restored', kind: 'success', autoCloseMs: 0, // it says what to do next
      title: 'Autosaved model restored.',
      text: `Iteration ${formatNumber(info.iteration)}, ${valLossText(info.valLoss, info)}` +
        `${info.valChars > 0 ? ' (on the slice)' : ''}. Press Resume to continue training.` });
    testData(note.element, { valLoss: info.valLoss });
  } catch (e) {
    failed('restored', 'The autosave could not be restored.', e);
  }
}

/** An autosave from before this page load: restore it or discard it (autosave is paused until then). */
export function offerAutosave(offer) {
  const when = formatTime(new Date(offer.savedAt));
  const note = showMessage({ id: 'autosave-offer', kind: 'info', title: 'Restore your model?',
    text: `A model was autosaved in this browser on ${when}: iteration ${formatNumber(offer.iteration)}, ` +
      `${valLossText(offer.valLoss, { valChars: offer.heldOut === false ? 0 : 1 })}, trained on ${offer.textName}. Autosave is paused until you choose.`,
    actions: [
      { label: 'Restore it', primary: true, onClick: restoreAutosave },
      { label: 'Discard it', onClick: async () => {
        page.autosaveOffer = null;
        await call(CALL.discardAutosave).catch(() => {});
        await setAutosave(true).catch(() => {});
      } },
    ] });
  testData(note.element, { valLoss: offer.valLoss, iteration: offer.iteration });
}

/** Overfitting: back to the best weights (training goes on from them when resumed). */
export async function restoreBest() {
  try {
    const back = await call(CALL.restoreBest);
    showMessage({ id: 'overfit', kind: 'success', title: 'The best weights are back.',
      text: `From iteration ${formatNumber(back.iteration)} (validation loss ${loss(back.valLoss)}).` +
        (page.running ? '' : ' Press Resume to train on from them.') });
  } catch (e) {
    failed('overfit', 'The best weights were not restored.', e);
  }
}

/** Overfitting: more dropout from the next step on; the Settings card shows it. */
export async function raiseDropout(p) {
  try {
    const config = await call(CALL.setDropout, p);
    page.model = { ...page.model, modelConfig: config };
    writeSettings({ model: { dropout: config.dropout } });
    showMessage({ id: 'overfit', kind: 'success', title: `Dropout is now ${config.dropout.toFixed(2)}.`,
      text: 'Training goes on with it; validation loss should stop rising within a few evaluations.' });
  } catch (e) {
    failed('overfit', 'Dropout was not changed.', e);
  }
}

/**
 * Which weights the embed snippet's file holds, in words: the best so far when they are not the
 * latest (the page's figures show the latest iteration, so the dialog says why its number differs).
 */
function embeddedWeights({ latest, best }) {
  const at = (c) => `iteration ${formatNumber(c.iteration)}` +
    (Number.isFinite(c.valLoss) ? `, ${valLossText(c.valLoss)}` : '');
  if (best) return `the best weights so far (${at(best)}), not the latest (iteration ${formatNumber(latest.iteration)})`;
  return heldOut() ? `the latest weights (${at(latest)}), which are also the best so far`
    : `the latest weights (${at(latest)})`;
}

/** Copy embed snippet: the widget's tags for the best weights (or the latest) in float16. */
async function showEmbed() {
  closeMessage('embed');
  try {
    const choices = await call(CALL.saveChoices);
    const which = choices.best ? 'best' : 'latest';
    const chosen = choices[which];
    const modelFile = modelFileName({ modelConfig: page.model.modelConfig, iteration: chosen.iteration }, false,
      { f16: true });
    const settings = samplingSettings();
    const snippet = embedSnippet({ modelFile, prime: settings.prime, temperature: settings.temperature,
      length: settings.length });
    await showEmbedDialog({ snippet, modelFile, weights: embeddedWeights(choices), widgetDir: 'widget', modelDir: 'models', onSaveModel: async () => {
      try {
        const saved = await call(which === 'best' ? CALL.saveBest : CALL.save, { checkpoint: false, f16: true });
        download(saved.bytes, modelFile);
      } catch (e) {
        failed('embed', 'The model file was not saved.', e);
      }
    } });
  } catch (e) {
    failed('embed', 'No embed snippet.', e);
  }
}

/** Wires Save model, Save checkpoint, Copy embed snippet, Load model and the pretrained models. */
export function initModelControls() {
  $('save-model').addEventListener('click', () => save(false));
  $('save-checkpoint').addEventListener('click', () => save(true));
  $('embed').addEventListener('click', showEmbed);
  const modelPicker = $('model-file');
  $('load-model').addEventListener('click', () => modelPicker.click());
  modelPicker.addEventListener('change', () => {
    if (modelPicker.files[0]) loadModelFile(modelPicker.files[0]);
    modelPicker.value = '';
  });
  for (const preset of PRESETS.filter((p) => p.model)) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `${preset.label} model`;
    b.title = `Load the model trained on ${preset.file} by this project, with its text`;
    b.addEventListener('click', () => loadPretrained(preset));
    $('pretrained').append(b);
  }
}

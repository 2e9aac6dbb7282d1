// Train, Pause, Resume, Reset, the learning rate and settings that need a new model, "Evaluate on
// all of it" and the loss unit: the controls that start, stop and steer training.
import { CALL } from '../shared/worker-protocol.js';
import { formatNumber } from '../shared/format.js';
import { readSettings, writeSettings, changedArchitecture, fieldLabel } from '../settings/form.js';
import { showMessage, closeMessage, askConfirm } from '../views/messages.js';
import { flushEdits, textReady } from './text-source.js';
import { $, page, unsavedWork } from './state.js';
import { refreshControls, failed } from './status.js';
import { chart, figures, samples, best } from './views.js';
import { call } from './worker-life.js';
import { showAutosaveStatus, closeModelMessages, showFullVal, setBits } from './reports.js';
import { refreshRecipe, dropPendingRecipe } from './recipe.js';
import { budgetChanged, showBudget } from '../views/budget-view.js';

/**
 * Before a new model or a loaded file replaces the current one: asks when that would lose
 * training (see unsavedWork); true to go ahead.
 */
export async function mayReplaceModel(action) {
  if (!unsavedWork()) return true;
  return askConfirm({ title: 'Replace the trained model?',
    text: `The current model has trained to iteration ${formatNumber(page.iteration)} since it was last saved, and no ` +
      `autosave holds it. ${action.text} Save it first if you want to keep it.`,
    confirmLabel: action.confirm, cancelLabel: 'Keep the current model' });
}

const TRAIN_NEW = { text: 'A new model throws it away.', confirm: 'Discard it and train a new model' };
export const LOAD_FILE = { text: 'Loading a model file throws it away.', confirm: 'Discard it and load the file' };

/** Train: a new model with the form's settings on the text the Data panel shows; its session info, or false/null. */
export async function train({ confirmed = false } = {}) {
  if (!confirmed && !(await mayReplaceModel(TRAIN_NEW))) return false;
  closeMessage('train');
  try {
    // A text the reader just picked (a preset, a file) is what the Data panel shows: train on it.
    await textReady();
    await flushEdits();
  } catch (e) {
    failed('train', 'Cannot train on this text.', e, page.model ? ' The current model is unchanged.' : '');
    return false;
  }
  let settings;
  try {
    await refreshRecipe({ writeForm: true }); // the settings for this text and Train for, but the visitor's own
    settings = readSettings();
  } catch (e) {
    failed('train', 'Check the settings.', e, keepModelSettings());
    return false;
  }
  try {
    const info = await call(CALL.start, settings.model, settings.train);
    closeMessage('train');
    return info;
  } catch (e) {
    failed('train', 'Training did not start.', e, keepModelSettings());
    return null;
  }
}

/**
 * After a refused Train: the form goes back to the settings of the model that goes on (a refused
 * value must not look as if it were in use). The learning rate is left alone: it acts at once,
 * so the form already shows the rate in use. Returns what to add to the message.
 */
function keepModelSettings() {
  dropPendingRecipe(); // a recipe asked for before (a text staged) must not overwrite what is put back here
  if (!page.model) return '';
  writeSettings({ model: page.model.modelConfig, train: { ...page.model.trainConfig, learningRate: undefined } });
  return ' The current model is unchanged, and the settings show its values again.';
}

async function reset() {
  // The stored autosave is this page's model unless an earlier one is still on offer (autosave
  // is off until the reader chooses): that one is the reader's to restore or discard.
  const withAutosave = page.autosaveOn;
  if (page.iteration > 0) {
    const ok = await askConfirm({ title: 'Discard the model?',
      text: `Reset stops training and throws the current model away${withAutosave ? ', with its autosave in this ' +
        'browser' : ''}. Save it first if you want to keep it.`,
      confirmLabel: 'Discard the model', cancelLabel: 'Keep it' });
    if (!ok) return;
  }
  try {
    await call(CALL.reset);
  } catch (e) {
    failed('train', 'Reset failed.', e);
    return;
  }
  page.model = null;
  page.iteration = 0;
  best.reset();
  chart.clear();
  figures.clear();
  samples.clear();
  showFullVal(null);
  closeModelMessages();
  closeMessage('train');
  $('model-info').textContent = 'No model yet.';
  showAutosaveStatus(null);
  refreshControls();
  if (!withAutosave) return;
  try {
    await call(CALL.discardAutosave);
    showAutosaveStatus(null, 'Autosave: cleared with the model. ');
  } catch (e) {
    failed('train', 'The autosave was not cleared.', e, ' A reload may offer the model that was reset.');
  }
}

/** After a setting changed: a different architecture means a new model, and the reader is asked first. */
/** Train for changed: the model in training goes on along the new budget; the next model's settings follow it. */
export async function onBudgetChanged(minutes) {
  budgetChanged();
  refreshRecipe().catch(() => {}); // an engine not loaded yet is asked at Train
  try {
    const budget = await call(CALL.setBudget, minutes);
    if (budget) showBudget(budget);
  } catch (e) {
    failed('budget', 'Train for was not changed.', e);
  }
}

export async function onSettingChanged(key) {
  if (key === 'lines' || key === undefined) refreshRecipe().catch(() => {}); // lines mode, Restore defaults
  const { model } = page;
  if (!model) return;
  let settings;
  try {
    settings = readSettings();
  } catch {
    return; // the message comes when Train is pressed
  }
  const changed = changedArchitecture(settings.model, model.modelConfig);
  if (!changed.length) return;
  if (page.iteration > 0) {
    const names = changed.map(fieldLabel).join(' and ');
    const ok = await askConfirm({ title: 'Start a new model?',
      text: `Changing the ${names} needs a new model: the current one (iteration ${formatNumber(page.iteration)}) will ` +
        'be discarded. Save it first if you want to keep it.',
      confirmLabel: 'Discard it and train a new model', cancelLabel: 'Keep the current model' });
    if (!ok) {
      const back = Object.fromEntries(changed.map((k) => [k, model.modelConfig[k]]));
      writeSettings({ model: { ...back, hiddenSizes: model.modelConfig.hiddenSizes } });
      return;
    }
  }
  await train({ confirmed: true });
}

/** The learning rate acts at once on the model in training. */
export async function onLearningRate(lr, error) {
  closeMessage('lr');
  if (error) {
    showMessage({ id: 'lr', kind: 'error', title: 'Check the learning rate.', text: error.message });
    return;
  }
  if (!page.model || !page.worker) return;
  try {
    await call(CALL.setLearningRate, lr);
  } catch (e) {
    failed('lr', 'The learning rate was not changed.', e);
  }
}

/** Wires Train, Pause, Resume, Reset, the loss unit and "Evaluate on all of it". */
export function initTrainingControls() {
  $('train').addEventListener('click', train);
  // The button pressed becomes disabled: focus moves to the one that undoes it, not to the page body.
  $('pause').addEventListener('click', async () => {
    try {
      await call(CALL.pause);
      if (document.activeElement === $('pause') || document.activeElement === document.body) $('resume').focus();
    } catch (e) {
      failed('train', 'Pause failed.', e);
    }
  });
  $('resume').addEventListener('click', async () => {
    // The messages that said "press Resume" (or why training stopped) have done their job.
    for (const id of ['diverged', 'load', 'restored', 'budget']) closeMessage(id);
    try {
      await call(CALL.resume);
      if (document.activeElement === $('resume') || document.activeElement === document.body) $('pause').focus();
    } catch (e) {
      failed('train', 'Resume failed.', e);
    }
  });
  $('reset').addEventListener('click', reset);
  $('bits').addEventListener('change', () => setBits($('bits').checked));
  $('full-val').addEventListener('click', async () => {
    showFullVal(null);
    $('full-val-result').textContent = 'evaluating…';
    $('full-val').disabled = true;
    try {
      showFullVal(await call(CALL.evaluateFull));
    } catch (e) {
      showFullVal(null);
      failed('full-val', 'Evaluation failed.', e);
    } finally {
      refreshControls();
    }
  });
}

// The trainer page's entry: starts the worker, wires the controls, and trains a default model on
// the default text at once. All the training happens in the worker; this thread only draws. What
// each part of the page does is in the modules beside this one (state, status, worker-life,
// reports, top-bar, training-controls, sample-controls, models) and in ../views and ../settings.
import { simd } from 'wasm-feature-detect';
import { CALL } from '../shared/worker-protocol.js';
import { peekAutosave } from '../shared/autosave-store.js';
import { initSettings } from '../settings/form.js';
import { initThreadsControl } from '../settings/threads-control.js';
import { DEFAULT_PRESET, PRESETS } from '../settings/defaults.js';
import { initTextSource, showText, loadFile, fetchBlob } from './text-source.js';
import { initFileDrop } from './file-drop.js';
import { takeEarlyText } from './early-start-handover.js';
import { noteStartup } from './test-hooks.js';
import { page, unsavedWork } from './state.js';
import { refreshControls, fatal, failed } from './status.js';
import { bootWorker, stopWorker, call, stage, setThreads, setAutosave } from './worker-life.js';
import { train, onSettingChanged, onLearningRate, onBudgetChanged, initTrainingControls } from './training-controls.js';
import { initBudget } from '../settings/budget.js';
import { refreshRecipe } from './recipe.js';
import { takeModeChange } from '../settings/presets.js';
import { initTopBar } from './top-bar.js';
import { initSampleControls } from './sample-controls.js';
import { initModelControls, loadModelFile, offerAutosave, loadPretrained } from './models.js';

function wire() {
  initTopBar();
  initTrainingControls();
  initModelControls();
  initSettings({ onChange: onSettingChanged, onLearningRate, onRestoreDefaults: onSettingChanged });
  initThreadsControl({ onChange: (n) => setThreads(n) });
  initBudget({ onChange: onBudgetChanged });
  initSampleControls();
  // A new text: the settings for it (the recipe) once it is staged.
  const stageAndFollow = async (source, options) => {
    const summary = await stage(source, options);
    await refreshRecipe({ writeForm: takeModeChange() }).catch(() => {});
    return summary;
  };
  initTextSource({ stageText: stageAndFollow, loadPretrained });
  initFileDrop({ onText: loadFile, onModel: loadModelFile });
  window.addEventListener('beforeunload', (event) => {
    if (!unsavedWork()) return;
    event.preventDefault(); // the browser asks whether to leave
    event.returnValue = ''; // (older browsers ask only when this is set)
  });
  refreshControls();
}

/**
 * The offline copy (web/sw.js). Registered once the page has started training (or failed to):
 * installing it downloads every file of the site (a few MB), which would otherwise compete with
 * the first training step.
 */
function registerServiceWorker() {
  if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register('sw.js').catch(() => {}); // offline use is a bonus, not a need
  }
}

async function main() {
  // The worker (and its WASM), the default text and the autosave summary load while the page wires
  // itself: they are most of the time to the first training step.
  noteStartup('script');
  const preset = PRESETS.find((p) => p.id === DEFAULT_PRESET);
  const booted = bootWorker();
  booted.then(() => noteStartup('engine'));
  const defaultText = fetchBlob(preset.file, preset.label, takeEarlyText(preset.file))
    .finally(() => noteStartup('text'));
  const loads = Promise.all([defaultText, peekAutosave()]);
  wire();
  if (!(await simd())) {
    fatal('WebAssembly SIMD is not available.', 'This browser cannot run the trainer: it needs WebAssembly SIMD. ' +
      'Use a current Chrome, Edge, Firefox or Safari (16.4 or later).');
    stopWorker();
    return;
  }
  const [[corpus, offer], ready] = await Promise.all([loads, booted]);
  if (!ready || page.fatalError) return;
  page.autosaveOffer = offer;
  await setAutosave(!offer);
  if (offer) offerAutosave(offer);
  if (!corpus) return;
  let staged;
  try {
    staged = await stage(corpus, { name: preset.file.split('/').pop(), wantPreview: true, countLater: true });
  } catch (e) {
    failed('train', 'The default text cannot be used.', e);
    return;
  }
  const mine = page.lastStaged;
  noteStartup('staged');
  const info = await train();
  noteStartup('started');
  // After training started: filling the text area should not delay the first step. Not when the
  // reader has meanwhile picked another text; and without a model, with the text's own figures.
  if (page.lastStaged !== mine) return;
  const summary = info ? info.text : await call(CALL.stagedSummary).catch(() => null);
  if (summary?.vocab) showText({ ...summary, preview: staged.preview }, corpus);
}

main().catch((e) => failed('train', 'The page could not start the trainer.', e, ' Reload the page.'))
  .finally(registerServiceWorker);

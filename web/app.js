// The trainer page's wiring: starts the worker, trains a default model on the default text at
// once, and connects the controls to the worker and the worker's reports to the views. All the
// training happens in the worker; this thread only draws.
import { simd } from 'wasm-feature-detect';
import { startTrainer } from './trainer-client.js';
import { LossChart } from './chart.js';
import { Figures } from './figures.js';
import { SamplesView } from './samples-view.js';
import { InspectView } from './inspect-view.js';
import {
  initSettings, readSettings, writeSettings, setLearningRate, changedArchitecture, fieldLabel, formatSetting, defaults,
  setEngineDefaults,
} from './settings.js';
import {
  initTextSource, flushEdits, textReady, showText, showSplit, loadFile, loadPreset, fetchBlob,
} from './text-source.js';
import { initFileDrop } from './file-drop.js';
import { initThreadsControl, requestedThreads, showThreads } from './threads-control.js';
import { showMessage, closeMessage, askConfirm } from './messages.js';
import { modelFileName, download, checkModelFile } from './model-files.js';
import { shapeText } from './hidden-sizes.js';
import { peekAutosave } from './autosave.js';
import { takeEarlyText } from './preloaded.js';
import { formatNumber, formatLoss, formatTime } from './format.js';
import { testData, noteProgress, noteNewModel, noteStartup } from './test-hooks.js';
import { DEFAULT_PRESET, PRESETS, SAMPLING, LIMITS } from './default-settings.js';
import { BestView } from './best-view.js';
import { askSaveChoice } from './save-dialog.js';
import { showEmbedDialog } from './embed-dialog.js';
import { embedSnippet } from './embed-snippet.js';
import { NO_VALIDATION_REASON, validationLossPhrase } from './held-out.js';

const $ = (id) => document.getElementById(id);

const chart = new LossChart($('chart'));
const figures = new Figures();
const samples = new SamplesView();
const inspector = new InspectView({ call: (...args) => call(...args) });
const best = new BestView({
  loss: (nats) => loss(nats),
  running: () => running,
  dropout: () => model?.modelConfig.dropout ?? 0,
  pause: () => call('pause').catch((e) => failed('overfit', 'Pause failed.', e)),
  restoreBest: () => restoreBest(),
  setDropout: (p) => raiseDropout(p),
});

// The page's state. The DOM shows it; nothing is read back from the DOM.
let worker = null; // { remote, ready, terminate } from startTrainer
let model = null; // the worker's session info: modelConfig, trainConfig, vocab, iteration, text, ...
let sessions = 0; // models begun on this page (an output for the tests: data-session on #model-info)
let iteration = 0; // the model's latest iteration as reported
let running = false;
let fatalError = false; // the page cannot train at all (no WASM SIMD, the engine failed to start)
let lastStaged = null; // { source, name }: what the worker has, kept to hand a restarted worker
let autosaveOffer = null; // the summary of an autosave from before this page load
let autosaveOn = false; // whether the worker autosaves (off while an earlier autosave is on offer)
let autosaved = false; // an autosave of this model has been written
let keptIteration = 0; // the model is in a file (or was loaded from one) as of this iteration
let fullVal = null; // { valLoss, chars, iteration }: the latest "Evaluate on all of it"
let bits = false; // losses in bits (rather than nats) per character
let streamId = 0;
let skipped = 0; // steps of this model the engine skipped (loss or gradient not finite)

const loss = (nats) => formatLoss(nats, { bits });
// Whether the current model holds text out (Validation: None holds none, for memorising a list).
const heldOut = () => !model || model.valChars > 0;
// A loss of the current model (or of one it replaces, whose split `info` gives) in a message.
const valLossText = (nats, info = model) => validationLossPhrase(nats, { heldOut: !info || info.valChars > 0, loss });

// --- status and buttons ---------------------------------------------------------------------

function setStatus(state, text) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = text;
}

function refreshControls() {
  const ready = !!worker && !fatalError;
  $('train').disabled = !ready;
  $('pause').disabled = !running;
  $('resume').disabled = running || !model;
  $('reset').disabled = !model;
  for (const id of ['sample', 'save-model', 'save-checkpoint', 'embed']) $(id).disabled = !model;
  $('full-val').disabled = !model;
  $('full-val').hidden = !heldOut(); // nothing to evaluate on
  $('load-model').disabled = !ready;
  for (const b of $('pretrained').querySelectorAll('button')) b.disabled = !ready;
  if (fatalError) return;
  if (!worker) setStatus('loading', 'Loading the engine…');
  else if (running) setStatus('training', 'Training');
  else if (model) setStatus('paused', 'Paused');
  else setStatus('idle', 'No model');
}

function fatal(title, text) {
  fatalError = true;
  setStatus('failed', title);
  showMessage({ id: 'fatal', kind: 'error', title, text });
  refreshControls();
}

/** Shows an error from a worker call; a crash is reported by onCrash instead. */
function failed(id, title, e, suffix = '') {
  if (e?.name === 'EngineCrash') return;
  showMessage({ id, kind: 'error', title, text: `${e?.message ?? e}${suffix}` });
}

// --- reports from the worker ----------------------------------------------------------------

function onEvent(m) {
  inspector.onEvent(m);
  best.onEvent(m);
  switch (m.type) {
    case 'session': return onSession(m);
    case 'state':
      running = m.running;
      if (!m.hasModel) model = null;
      else iteration = m.iteration;
      refreshControls();
      return undefined;
    case 'progress': {
      if (!model) return undefined;
      iteration = m.iteration;
      const smoothed = chart.addTraining(m.iteration, m.loss);
      best.trainLoss(smoothed);
      skipped += m.skipped;
      figures.update({ iteration: m.iteration, epoch: m.epoch, trainLoss: smoothed, charsPerSec: m.charsPerSec,
        msPerIter: m.msPerIter, learningRate: m.learningRate, skipped });
      noteProgress(m.loss, m.stepMs);
      return undefined;
    }
    case 'val':
      chart.addValidation(m.iteration, m.valLoss);
      figures.update({ valLoss: m.valLoss, valIteration: m.iteration });
      // How long the slice took, and when the next comes (a save's own validation says neither).
      if (m.valMs !== undefined) testData($('figures'), { valMs: Math.round(m.valMs), valNextMs: Math.round(m.nextInMs) });
      return undefined;
    case 'sample': return samples.showSample(m);
    case 'lines': return samples.showLines(m);
    case 'stream-start': return samples.beginStream(m);
    case 'stream': return samples.appendStream(m.id, m.text);
    case 'autosave':
      if (!model) return undefined; // written just before a reset (which discards it)
      autosaved = true;
      return showAutosaveStatus(m);
    case 'autosave-failed':
      autosaved = false;
      return showMessage({ id: 'autosave', kind: 'warning', title: 'Autosave failed.',
        text: `${m.message}. Training goes on; use Save checkpoint to keep the model.` });
    case 'diverged': return onDiverged(m);
    case 'threads':
      showThreads(m);
      if (m.message) showMessage({ id: 'threads', kind: 'warning', title: 'A training thread stopped.', text: m.message });
      return undefined;
    default: return undefined;
  }
}

function onSession(info) {
  model = info;
  iteration = info.iteration;
  // A new model (iteration 0) has nothing to lose yet; a loaded one is in its file, a restored one
  // in the autosave; training from here on is what a save (or the autosave) keeps.
  keptIteration = info.iteration;
  autosaved = false;
  skipped = 0;
  chart.clear();
  figures.clear();
  samples.clear();
  noteNewModel();
  figures.update({ iteration: info.iteration, epoch: info.epoch, learningRate: info.learningRate });
  if (info.valSliceChars > 0) {
    $('val-slice-note').replaceChildren('Validation loss is measured every few seconds (less often for a large model) on a slice: the first ',
      Object.assign(document.createElement('span'), { id: 'val-slice', textContent: formatNumber(info.valSliceChars) }),
      ' characters of the held-out text.');
  } else {
    $('val-slice-note').textContent = `${NO_VALIDATION_REASON} The training loss and the samples show how well ` +
      'it has learned.';
  }
  figures.setHeldOut(heldOut());
  chart.setHeldOut(heldOut());
  showFullVal(null);
  best.reset(info.best, { heldOut: heldOut() });
  writeSettings({ model: info.modelConfig, train: info.trainConfig });
  showThreads(info.threads);
  showSplit(info);
  describeModel();
  testData($('model-info'), { session: ++sessions });
  showAutosaveStatus(null);
  // Messages about the model before, or about the text now trained on, are done with.
  closeModelMessages();
  closeMessage('text-file');
  refreshControls();
}

/** The autosave line: the latest autosave of this model ({ iteration, valLoss }), or none yet. */
function showAutosaveStatus(saved, prefix = '') {
  const s = $('autosave-status');
  s.textContent = saved
    ? `Autosaved in this browser at iteration ${formatNumber(saved.iteration)}, ${valLossText(saved.valLoss)}, ` +
      `${formatTime(new Date(), { timeOnly: true })}.`
    : `${prefix}Autosave: the model is saved in this browser every few seconds while it trains.`;
  testData(s, { iteration: saved?.iteration, valLoss: saved?.valLoss });
}

/** Closes the messages about the current model: it is gone (Reset) or replaced (a new session). */
function closeModelMessages() {
  for (const id of ['diverged', 'load', 'restored', 'save', 'sample', 'full-val', 'overfit']) closeMessage(id);
}

function describeModel() {
  const c = model.modelConfig;
  $('model-info').textContent = `${c.cell.toUpperCase()}, ${shapeText(c)} hidden, embedding ${c.embedSize}` +
    ` · ${formatNumber(model.parameters)} parameters · ${model.vocab.length} symbols · trained on ${model.text.name}`;
}

/** The latest "Evaluate on all of it" (or none), in the unit on show. */
function showFullVal(result) {
  fullVal = result;
  const out = $('full-val-result');
  out.textContent = result ? `${loss(result.valLoss)} over all ${formatNumber(result.chars)} characters, ` +
    `at iteration ${formatNumber(result.iteration)}` : '';
  testData(out, { valLoss: result?.valLoss });
}

function setBits(on) {
  bits = on;
  chart.setBits(on);
  figures.setBits(on);
  best.redraw();
  if (fullVal) showFullVal(fullVal);
}

function onDiverged(m) {
  iteration = m.restoredIteration;
  chart.truncate(m.restoredIteration);
  // With no text held out, the engine marked the weights good by their training loss.
  const restoredLoss = heldOut() ? 'validation loss' : 'training loss';
  if (heldOut()) {
    figures.update({ iteration: m.restoredIteration, valLoss: m.restoredValLoss,
      valIteration: Number.isFinite(m.restoredValLoss) ? m.restoredIteration : undefined });
  } else {
    figures.update({ iteration: m.restoredIteration });
  }
  const what = Number.isFinite(m.loss)
    ? `the loss exploded to ${m.loss >= 1000 ? m.loss.toExponential(1) : m.loss.toFixed(1)} nats per character`
    : `${m.skipped} steps gave a loss or gradient that is not a number, and were skipped`;
  // The engine suggests a rate that can work: below the one that blew up, at most the one the
  // restored weights trained at.
  const lower = Number(m.suggestedLearningRate.toPrecision(2));
  const actions = [{ label: `Resume at learning rate ${formatSetting(lower)}`, primary: true,
    onClick: () => resumeWithRate(lower) }];
  const kept = Number.isFinite(m.restoredValLoss) ? ` (${restoredLoss} ${loss(m.restoredValLoss)})` : '';
  showMessage({ id: 'diverged', kind: 'error', title: 'Training blew up.',
    text: `At learning rate ${formatSetting(m.learningRate)}, ${what}. Training is paused and the last good model, ` +
      `from iteration ${formatNumber(m.restoredIteration)}${kept}, is back in place.`, actions });
}

async function resumeWithRate(lr) {
  setLearningRate(lr);
  try {
    await call('setLearningRate', lr);
    await call('resume');
  } catch (e) {
    failed('diverged', 'Could not resume.', e);
  }
}

// --- the worker's life ----------------------------------------------------------------------

let booting = null; // the latest bootWorker(): calls made while a worker starts wait for it
let starting = null; // the worker bootWorker() is starting, until it is ready

function bootWorker() {
  booting = startWorker();
  return booting;
}

async function startWorker() {
  worker = null;
  refreshControls();
  const w = startTrainer({ onEvent, onCrash });
  starting = w;
  try {
    setEngineDefaults(await w.ready);
  } catch (e) {
    // A page that has already failed (no SIMD) keeps its own message.
    if (e.name !== 'EngineCrash' && !fatalError) {
      fatal('The trainer cannot run in this browser.', e.message);
    }
    return false;
  } finally {
    if (starting === w) starting = null;
  }
  worker = w;
  // A worker that dies here is onCrash's business; the boot itself succeeded.
  await w.remote.setSampling(samplingSettings()).catch(() => {});
  await w.remote.setThreads(requestedThreads()).then(showThreads).catch(() => {});
  autosaveOn = false; // a new worker starts with autosave off
  refreshControls();
  return true;
}

async function onCrash(message) {
  running = false;
  model = null;
  inspector.onEvent({ type: 'state', running: false, hasModel: false, iteration: 0 });
  // The new worker starts at once, so calls made from now on wait for it, not for the dead one.
  const booted = bootWorker();
  const offer = await peekAutosave();
  const actions = [];
  if (offer) {
    actions.push({ label: `Restore the autosaved model (iteration ${formatNumber(offer.iteration)})`, primary: true,
      onClick: () => restoreAutosave() });
  }
  showMessage({ id: 'crash', kind: 'error', title: 'The trainer stopped.',
    text: `${message} It has been restarted${offer ? '; the last autosave can be restored' : ''}.`, actions });
  if (!(await booted)) return;
  if (lastStaged) {
    await stage(lastStaged.source, { name: lastStaged.name, wantPreview: false }).catch((e) => {
      failed('crash-text', 'The training text could not be handed to the restarted trainer.', e,
        ' Load the text again (or pick a preset) before you press Train.');
    });
  }
  await setAutosave(!autosaveOffer).catch(() => {});
}

async function setThreads(n) {
  closeMessage('threads');
  try {
    showThreads(await call('setThreads', n));
    return true;
  } catch (e) {
    failed('threads', 'The number of threads was not changed.', e);
    return false;
  }
}

async function setAutosave(on) {
  await call('setAutosave', on);
  autosaveOn = on;
}

/** Calls the worker; while a new one starts (after a crash) the call waits for it. */
async function call(name, ...args) {
  while (!worker) {
    const pending = booting;
    if (!pending || !(await pending)) throw new Error('The engine is not running: reload the page.');
  }
  return worker.remote[name](...args);
}

/**
 * Hands a text (bytes, or a Blob the worker reads) to the worker. Bytes are copied, not
 * transferred: the page keeps the text (a Blob costs nothing to keep) for a restarted worker.
 */
async function stage(source, options) {
  const summary = await call('stageText', source, options);
  closeMessage('train'); // a refusal of the previous text (too short, say) is about that text
  lastStaged = { source, name: options.name };
  return summary;
}

// --- training controls ----------------------------------------------------------------------

/**
 * Before a new model or a loaded file replaces the current one: asks when that would lose
 * training (see unsavedWork); true to go ahead.
 */
async function mayReplaceModel(action) {
  if (!unsavedWork()) return true;
  return askConfirm({ title: 'Replace the trained model?',
    text: `The current model has trained to iteration ${formatNumber(iteration)} since it was last saved, and no ` +
      `autosave holds it. ${action.text} Save it first if you want to keep it.`,
    confirmLabel: action.confirm, cancelLabel: 'Keep the current model' });
}

const TRAIN_NEW = { text: 'A new model throws it away.', confirm: 'Discard it and train a new model' };
const LOAD_FILE = { text: 'Loading a model file throws it away.', confirm: 'Discard it and load the file' };

async function train({ confirmed = false } = {}) {
  if (!confirmed && !(await mayReplaceModel(TRAIN_NEW))) return false;
  closeMessage('train');
  try {
    // A text the reader just picked (a preset, a file) is what the Data panel shows: train on it.
    await textReady();
    await flushEdits();
  } catch (e) {
    failed('train', 'Cannot train on this text.', e, model ? ' The current model is unchanged.' : '');
    return false;
  }
  let settings;
  try {
    settings = readSettings();
  } catch (e) {
    failed('train', 'Check the settings.', e, keepModelSettings());
    return false;
  }
  try {
    const info = await call('start', settings.model, settings.train);
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
  if (!model) return '';
  writeSettings({ model: model.modelConfig, train: { ...model.trainConfig, learningRate: undefined } });
  return ' The current model is unchanged, and the settings show its values again.';
}

async function reset() {
  // The stored autosave is this page's model unless an earlier one is still on offer (autosave
  // is off until the reader chooses): that one is the reader's to restore or discard.
  const withAutosave = autosaveOn;
  if (iteration > 0) {
    const ok = await askConfirm({ title: 'Discard the model?',
      text: `Reset stops training and throws the current model away${withAutosave ? ', with its autosave in this ' +
        'browser' : ''}. Save it first if you want to keep it.`,
      confirmLabel: 'Discard the model', cancelLabel: 'Keep it' });
    if (!ok) return;
  }
  try {
    await call('reset');
  } catch (e) {
    failed('train', 'Reset failed.', e);
    return;
  }
  model = null;
  iteration = 0;
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
    await call('discardAutosave');
    showAutosaveStatus(null, 'Autosave: cleared with the model. ');
  } catch (e) {
    failed('train', 'The autosave was not cleared.', e, ' A reload may offer the model that was reset.');
  }
}

/** After a setting changed: a different architecture means a new model, and the reader is asked first. */
async function onSettingChanged() {
  if (!model) return;
  let settings;
  try {
    settings = readSettings();
  } catch {
    return; // the message comes when Train is pressed
  }
  const changed = changedArchitecture(settings.model, model.modelConfig);
  if (!changed.length) return;
  if (iteration > 0) {
    const names = changed.map(fieldLabel).join(' and ');
    const ok = await askConfirm({ title: 'Start a new model?',
      text: `Changing the ${names} needs a new model: the current one (iteration ${formatNumber(iteration)}) will ` +
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

async function onLearningRate(lr, error) {
  closeMessage('lr');
  if (error) {
    showMessage({ id: 'lr', kind: 'error', title: 'Check the learning rate.', text: error.message });
    return;
  }
  if (!model || !worker) return;
  try {
    await call('setLearningRate', lr);
  } catch (e) {
    failed('lr', 'The learning rate was not changed.', e);
  }
}

// --- samples --------------------------------------------------------------------------------

function temperature() {
  return Number(Number($('temperature').value).toFixed(2));
}

/** The sample length asked for; the default when the box is empty or not a number. */
function sampleLength() {
  const raw = $('sample-length').value.trim();
  const n = Math.round(Number(raw));
  return raw !== '' && Number.isFinite(n) ? Math.min(SAMPLING.maxLength, Math.max(1, n)) : SAMPLING.length;
}

function samplingSettings() {
  return { temperature: temperature(), prime: $('prime').value, length: sampleLength() };
}

function initSampleControls() {
  const t = $('temperature');
  t.min = String(SAMPLING.minTemperature);
  t.max = String(SAMPLING.maxTemperature);
  t.step = String(SAMPLING.temperatureStep);
  t.value = String(SAMPLING.temperature);
  $('sample-length').value = String(SAMPLING.length);
  $('sample-length').max = String(SAMPLING.maxLength);
  $('prime').value = SAMPLING.prime;
  const showTemperature = () => {
    $('temperature-value').textContent = temperature().toFixed(2);
    t.setAttribute('aria-valuetext', temperature().toFixed(2));
  };
  showTemperature();
  let timer = 0;
  const send = () => {
    clearTimeout(timer);
    timer = setTimeout(() => worker?.remote.setSampling(samplingSettings()).catch(() => {}), 150);
  };
  t.addEventListener('input', () => {
    showTemperature();
    send();
  });
  $('prime').addEventListener('input', send);
  $('sample-length').addEventListener('change', () => {
    $('sample-length').value = String(sampleLength());
    send();
  });
  $('sample').addEventListener('click', sampleNow);
  $('prime').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !$('sample').disabled) sampleNow();
  });
}

async function sampleNow() {
  closeMessage('sample');
  const id = ++streamId;
  try {
    const result = await call('sample', { id, ...samplingSettings() });
    samples.endStream(result);
  } catch (e) {
    samples.abortStream();
    failed('sample', 'No sample.', e);
  }
}

// --- models ---------------------------------------------------------------------------------

async function save(checkpoint) {
  closeMessage('save');
  try {
    let choice = { which: 'latest', f16: false };
    if (!checkpoint) {
      // Save model asks which weights (latest or best) and which precision, with their sizes.
      choice = await askSaveChoice(await call('saveChoices'), loss, { heldOut: heldOut() });
      if (!choice) return;
    }
    const saved = await call(choice.which === 'best' ? 'saveBest' : 'save', { checkpoint, f16: choice.f16 });
    const name = modelFileName(saved, checkpoint, { f16: choice.f16 });
    download(saved.bytes, name);
    keptIteration = Math.max(keptIteration, saved.iteration);
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
    const info = await call('loadModel', source, { name, train });
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

async function loadModelFile(file) {
  if (!(await mayReplaceModel(LOAD_FILE))) return;
  try {
    checkModelFile(file, LIMITS.memoryBudgetBytes);
  } catch (e) {
    failed('load', 'The model was not loaded.', e, ' The current model is unchanged.');
    return;
  }
  await loadModelBytes(file, file.name); // the worker reads it
}

async function loadPretrained(preset) {
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
    await call('setSampling', samplingSettings());
  }
  await loadModelBytes(blob, preset.model.split('/').pop());
}

async function restoreAutosave() {
  closeMessage('autosave-offer');
  closeMessage('crash');
  if (!(await booting)) return;
  try {
    const info = await call('restoreAutosave');
    showText({ ...info.text, preview: info.preview });
    lastStaged = null; // the worker holds it now, and so does the autosave
    autosaveOffer = null;
    await setAutosave(true);
    autosaved = true; // it came from there
    const note = showMessage({ id: 'restored', kind: 'success', autoCloseMs: 0, // it says what to do next
      title: 'Autosaved model restored.',
      text: `Iteration ${formatNumber(info.iteration)}, ${valLossText(info.valLoss, info)}` +
        `${info.valChars > 0 ? ' (on the slice)' : ''}. Press Resume to continue training.` });
    testData(note.element, { valLoss: info.valLoss });
  } catch (e) {
    failed('restored', 'The autosave could not be restored.', e);
  }
}

function offerAutosave(offer) {
  const when = formatTime(new Date(offer.savedAt));
  const note = showMessage({ id: 'autosave-offer', kind: 'info', title: 'Restore your model?',
    text: `A model was autosaved in this browser on ${when}: iteration ${formatNumber(offer.iteration)}, ` +
      `${valLossText(offer.valLoss, { valChars: offer.heldOut === false ? 0 : 1 })}, trained on ${offer.textName}. Autosave is paused until you choose.`,
    actions: [
      { label: 'Restore it', primary: true, onClick: restoreAutosave },
      { label: 'Discard it', onClick: async () => {
        autosaveOffer = null;
        await call('discardAutosave').catch(() => {});
        await setAutosave(true).catch(() => {});
      } },
    ] });
  testData(note.element, { valLoss: offer.valLoss, iteration: offer.iteration });
}

/** Overfitting: back to the best weights (training goes on from them when resumed). */
async function restoreBest() {
  try {
    const back = await call('restoreBest');
    showMessage({ id: 'overfit', kind: 'success', title: 'The best weights are back.',
      text: `From iteration ${formatNumber(back.iteration)} (validation loss ${loss(back.valLoss)}).` +
        (running ? '' : ' Press Resume to train on from them.') });
  } catch (e) {
    failed('overfit', 'The best weights were not restored.', e);
  }
}

/** Overfitting: more dropout from the next step on; the Settings card shows it. */
async function raiseDropout(p) {
  try {
    const config = await call('setDropout', p);
    model = { ...model, modelConfig: config };
    writeSettings({ model: { dropout: config.dropout } });
    showMessage({ id: 'overfit', kind: 'success', title: `Dropout is now ${config.dropout.toFixed(2)}.`,
      text: 'Training goes on with it; validation loss should stop rising within a few evaluations.' });
  } catch (e) {
    failed('overfit', 'Dropout was not changed.', e);
  }
}

/** Copy embed snippet: the widget's tags for the best weights (or the latest) in float16. */
async function showEmbed() {
  closeMessage('embed');
  try {
    const choices = await call('saveChoices');
    const which = choices.best ? 'best' : 'latest';
    const chosen = choices[which];
    const modelFile = modelFileName({ modelConfig: model.modelConfig, iteration: chosen.iteration }, false,
      { f16: true });
    const settings = samplingSettings();
    const snippet = embedSnippet({ modelFile, prime: settings.prime, temperature: settings.temperature,
      length: settings.length });
    await showEmbedDialog({ snippet, modelFile, widgetDir: 'widget', modelDir: 'models', onSaveModel: async () => {
      try {
        const saved = await call(which === 'best' ? 'saveBest' : 'save', { checkpoint: false, f16: true });
        download(saved.bytes, modelFile);
      } catch (e) {
        failed('embed', 'The model file was not saved.', e);
      }
    } });
  } catch (e) {
    failed('embed', 'No embed snippet.', e);
  }
}

// --- wiring ---------------------------------------------------------------------------------

function wire() {
  $('train').addEventListener('click', train);
  // The button pressed becomes disabled: focus moves to the one that undoes it, not to the page body.
  $('pause').addEventListener('click', async () => {
    try {
      await call('pause');
      if (document.activeElement === $('pause') || document.activeElement === document.body) $('resume').focus();
    } catch (e) {
      failed('train', 'Pause failed.', e);
    }
  });
  $('resume').addEventListener('click', async () => {
    // The messages that said "press Resume" (or why training stopped) have done their job.
    for (const id of ['diverged', 'load', 'restored']) closeMessage(id);
    try {
      await call('resume');
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
      showFullVal(await call('evaluateFull'));
    } catch (e) {
      showFullVal(null);
      failed('full-val', 'Evaluation failed.', e);
    } finally {
      refreshControls();
    }
  });
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
  initSettings({ onChange: onSettingChanged, onLearningRate, onRestoreDefaults: onSettingChanged });
  initThreadsControl({ onChange: (n) => setThreads(n) });
  initSampleControls();
  initTextSource({ stageText: stage });
  initFileDrop({ onText: loadFile, onModel: loadModelFile });
  window.addEventListener('beforeunload', (event) => {
    if (!unsavedWork()) return;
    event.preventDefault(); // the browser asks whether to leave
    event.returnValue = ''; // (older browsers ask only when this is set)
  });
  refreshControls();
}

/**
 * Whether leaving the page would lose training: the model has trained past what a file holds,
 * and no autosave of it is there to restore (autosave off while an earlier one is on offer, not
 * written yet, or failed).
 */
function unsavedWork() {
  return !!model && iteration > keptIteration && !(autosaveOn && autosaved);
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
    starting?.terminate();
    worker?.terminate();
    worker = null;
    return;
  }
  const [[corpus, offer], ready] = await Promise.all([loads, booted]);
  if (!ready || fatalError) return;
  autosaveOffer = offer;
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
  const mine = lastStaged;
  noteStartup('staged');
  const info = await train();
  noteStartup('started');
  // After training started: filling the text area should not delay the first step. Not when the
  // reader has meanwhile picked another text; and without a model, with the text's own figures.
  if (lastStaged !== mine) return;
  const summary = info ? info.text : await call('stagedSummary').catch(() => null);
  if (summary?.vocab) showText({ ...summary, preview: staged.preview }, corpus);
}

main().catch((e) => failed('train', 'The page could not start the trainer.', e, ' Reload the page.'))
  .finally(registerServiceWorker);

// The worker's reports (REPORT in web/shared/worker-protocol.js), each to the views it concerns:
// a new model, progress, validation, samples, autosaves, a blow-up, threads.
import { REPORT, CALL } from '../shared/worker-protocol.js';
import { formatNumber, formatTime } from '../shared/format.js';
import { writeSettings, setLearningRate, formatSetting } from '../settings/form.js';
import { shapeText } from '../settings/hidden-sizes.js';
import { showThreads } from '../settings/threads-control.js';
import { showMessage, closeMessage } from '../views/messages.js';
import { showBudget } from '../views/budget-view.js';
import { NO_VALIDATION_REASON } from '../views/held-out.js';
import { showSplit } from './text-source.js';
import { testData, noteProgress, noteNewModel } from './test-hooks.js';
import { $, page, loss, heldOut, valLossText } from './state.js';
import { refreshControls, failed } from './status.js';
import { chart, figures, samples, inspector, best, why } from './views.js';
import { call } from './worker-life.js';

export function onReport(m) {
  inspector.onReport(m);
  why.onReport(m);
  best.onReport(m);
  switch (m.type) {
    case REPORT.session: return onSession(m);
    case REPORT.state:
      page.running = m.running;
      if (!m.hasModel) page.model = null;
      else page.iteration = m.iteration;
      refreshControls();
      return undefined;
    case REPORT.progress: {
      if (!page.model) return undefined;
      page.iteration = m.iteration;
      const smoothed = chart.addTraining(m.iteration, m.loss);
      best.trainLoss(smoothed);
      page.skipped += m.skipped;
      figures.update({ iteration: m.iteration, epoch: m.epoch, trainLoss: smoothed, charsPerSec: m.charsPerSec,
        msPerIter: m.msPerIter, learningRate: m.learningRate, skipped: page.skipped });
      noteProgress(m.loss, m.stepMs);
      showBudget(m.budget);
      return undefined;
    }
    case REPORT.budget: return showBudget(m);
    case REPORT.val:
      chart.addValidation(m.iteration, m.valLoss);
      figures.update({ valLoss: m.valLoss, valIteration: m.iteration });
      // How long the slice took, and when the next comes (a save's own validation says neither).
      if (m.valMs !== undefined) testData($('figures'), { valMs: Math.round(m.valMs), valNextMs: Math.round(m.nextInMs) });
      return undefined;
    case REPORT.sample: return samples.showSample(m);
    case REPORT.lines: return samples.showLines(m);
    case REPORT.streamStart: return samples.beginStream(m);
    case REPORT.stream: return samples.appendStream(m.id, m.text);
    case REPORT.autosave:
      if (!page.model) return undefined; // written just before a reset (which discards it)
      page.autosaved = true;
      return showAutosaveStatus(m);
    case REPORT.autosaveFailed:
      page.autosaved = false;
      return showMessage({ id: 'autosave', kind: 'warning', title: 'Autosave failed.',
        text: `${m.message}. Training goes on; use Save checkpoint to keep the model.` });
    case REPORT.diverged: return onDiverged(m);
    case REPORT.threads:
      showThreads(m);
      if (m.message) showMessage({ id: 'threads', kind: 'warning', title: 'A training thread stopped.', text: m.message });
      return undefined;
    default: return undefined;
  }
}

function onSession(info) {
  page.model = info;
  page.iteration = info.iteration;
  // A new model (iteration 0) has nothing to lose yet; a loaded one is in its file, a restored one
  // in the autosave; training from here on is what a save (or the autosave) keeps.
  page.keptIteration = info.iteration;
  page.autosaved = false;
  page.skipped = 0;
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
  showBudget(info.budget);
  showSplit(info);
  describeModel();
  testData($('model-info'), { session: ++page.sessions });
  showAutosaveStatus(null);
  // Messages about the model before, or about the text now trained on, are done with.
  closeModelMessages();
  closeMessage('text-file');
  refreshControls();
}

/** The autosave line: the latest autosave of this model ({ iteration, valLoss }), or none yet. */
export function showAutosaveStatus(saved, prefix = '') {
  const s = $('autosave-status');
  s.textContent = saved
    ? `Autosaved in this browser at iteration ${formatNumber(saved.iteration)}, ${valLossText(saved.valLoss)}, ` +
      `${formatTime(new Date(), { timeOnly: true })}.`
    : `${prefix}Autosave: the model is saved in this browser every few seconds while it trains.`;
  testData(s, { iteration: saved?.iteration, valLoss: saved?.valLoss });
}

/** Closes the messages about the current model: it is gone (Reset) or replaced (a new session). */
export function closeModelMessages() {
  for (const id of ['diverged', 'load', 'restored', 'save', 'sample', 'full-val', 'overfit', 'budget']) closeMessage(id);
}

function describeModel() {
  const { model } = page;
  const c = model.modelConfig;
  $('model-info').textContent = `${c.cell.toUpperCase()}, ${shapeText(c)} hidden, embedding ${c.embedSize}` +
    ` · ${formatNumber(model.parameters)} parameters · ${model.vocab.length} symbols · trained on ${model.text.name}`;
}

/** The latest "Evaluate on all of it" (or none), in the unit on show. */
export function showFullVal(result) {
  page.fullVal = result;
  const out = $('full-val-result');
  out.textContent = result ? `${loss(result.valLoss)} over all ${formatNumber(result.chars)} characters, ` +
    `at iteration ${formatNumber(result.iteration)}` : '';
  testData(out, { valLoss: result?.valLoss });
}

/** Losses in bits (or nats) per character, everywhere. */
export function setBits(on) {
  page.bits = on;
  chart.setBits(on);
  figures.setBits(on);
  best.redraw();
  if (page.fullVal) showFullVal(page.fullVal);
}

function onDiverged(m) {
  page.iteration = m.restoredIteration;
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
    await call(CALL.setLearningRate, lr);
    await call(CALL.resume);
  } catch (e) {
    failed('diverged', 'Could not resume.', e);
  }
}

// The status line and which controls are enabled, from the page's state; and how a failure is
// shown (an error message, or for a page that cannot train at all, the status too).
import { showMessage } from '../views/messages.js';
import { $, page, heldOut } from './state.js';

function setStatus(state, text) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = text;
}

export function refreshControls() {
  const { worker, model, running, fatalError } = page;
  const ready = !!worker && !fatalError;
  $('train').disabled = !ready;
  $('pause').disabled = !running;
  $('resume').disabled = running || !model;
  $('reset').disabled = !model;
  // The highlighted button is the next useful step: Pause while training, Resume when paused, else Train.
  const next = running ? 'pause' : model ? 'resume' : 'train';
  for (const id of ['train', 'pause', 'resume']) $(id).classList.toggle('primary', id === next);
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

/** The page cannot train at all. */
export function fatal(title, text) {
  page.fatalError = true;
  setStatus('failed', title);
  showMessage({ id: 'fatal', kind: 'error', title, text });
  refreshControls();
}

/** Shows an error from a worker call; a crash is reported by worker-life.js's onCrash instead. */
export function failed(id, title, e, suffix = '') {
  if (e?.name === 'EngineCrash') return;
  showMessage({ id, kind: 'error', title, text: `${e?.message ?? e}${suffix}` });
}

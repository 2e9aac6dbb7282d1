// The Save model dialog: which weights (the latest, or the best so far by validation loss; a model
// that holds no text out has no such best, and the dialog says it saves the latest) and which precision (float32, or float16 for the web: half the size), each with the size of its file
// shown before anything is saved. The worker measured the sizes (saveChoices); this only asks.
import { formatBytes, formatNumber } from '../shared/format.js';
import { NO_TEXT_HELD_OUT } from './held-out.js';

const $ = (id) => document.getElementById(id);

/**
 * choices: { latest: { iteration, valLoss, f32Bytes, f16Bytes }, best: same or null }; loss(nats)
 * writes a loss; heldOut: whether the model holds text out (has a validation loss). Resolves { which: 'latest' | 'best', f16 } or null (cancelled).
 */
export function askSaveChoice(choices, loss, { heldOut = true } = {}) {
  const dialog = $('save-dialog');
  const radios = (name) => [...dialog.querySelectorAll(`input[name="${name}"]`)];
  const describe = (c) => `iteration ${formatNumber(c.iteration)}` +
    (Number.isFinite(c.valLoss) ? `, validation loss ${loss(c.valLoss)}` : '');
  $('save-latest').textContent = heldOut ? `Latest: ${describe(choices.latest)}`
    : `Latest: ${describe(choices.latest)}, the weights saved (${NO_TEXT_HELD_OUT}, so no best by validation loss ` +
      'to choose instead)';
  $('save-best').textContent = choices.best ? `Best so far: ${describe(choices.best)}`
    : 'Best so far: the latest (validation loss has not been lower)';
  const [latestRadio, bestRadio] = radios('save-which');
  bestRadio.disabled = !choices.best;
  bestRadio.closest('label').hidden = !heldOut; // no validation loss, no best: only the latest to save
  // The best by default when there is one: that is the model worth keeping.
  (choices.best ? bestRadio : latestRadio).checked = true;
  const showSizes = () => {
    const c = bestRadio.checked ? choices.best : choices.latest;
    $('save-f32').textContent = `float32: ${formatBytes(c.f32Bytes)}`;
    $('save-f16').textContent = `float16, for the web: ${formatBytes(c.f16Bytes)} (samples as well; not for ` +
      'resuming training exactly)';
    for (const [id, bytes] of [['save-f32', c.f32Bytes], ['save-f16', c.f16Bytes]]) $(id).dataset.bytes = String(bytes);
  };
  showSizes();
  const ok = $('save-ok');
  const cancel = $('save-cancel');
  return new Promise((resolve) => {
    const finish = (answer) => {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      dialog.removeEventListener('change', showSizes);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onOk = () => finish({ which: bestRadio.checked ? 'best' : 'latest',
      f16: radios('save-precision').find((r) => r.checked)?.value === 'f16' });
    const onCancel = () => finish(null);
    const onClose = () => finish(null);
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.addEventListener('change', showSizes);
    dialog.showModal();
    ok.focus();
  });
}

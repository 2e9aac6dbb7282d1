// The page's state, shared by its modules. The DOM shows it; nothing is read back from the DOM.
import { formatLoss } from '../shared/format.js';
import { validationLossPhrase } from '../views/held-out.js';

export const $ = (id) => document.getElementById(id);

export const page = {
  worker: null, // { remote, ready, terminate } from startTrainer (worker-client.js), once ready
  model: null, // the worker's session info: modelConfig, trainConfig, vocab, iteration, text, ...
  sessions: 0, // models begun on this page (an output for the tests: data-session on #model-info)
  iteration: 0, // the model's latest iteration as reported
  running: false,
  fatalError: false, // the page cannot train at all (no WASM SIMD, the engine failed to start)
  lastStaged: null, // { source, name }: what the worker has, kept to hand a restarted worker
  autosaveOffer: null, // the summary of an autosave from before this page load
  autosaveOn: false, // whether the worker autosaves (off while an earlier autosave is on offer)
  autosaved: false, // an autosave of this model has been written
  keptIteration: 0, // the model is in a file (or was loaded from one) as of this iteration
  fullVal: null, // { valLoss, chars, iteration }: the latest "Evaluate on all of it"
  bits: false, // losses in bits (rather than nats) per character
  skipped: 0, // steps of this model the engine skipped (loss or gradient not finite)
};

/** A loss in the unit on show. */
export const loss = (nats) => formatLoss(nats, { bits: page.bits });

/** Whether the current model holds text out (Validation: None holds none, for memorising a list). */
export const heldOut = () => !page.model || page.model.valChars > 0;

/** A loss of the current model (or of one it replaces, whose split `info` gives) in a message. */
export const valLossText = (nats, info = page.model) =>
  validationLossPhrase(nats, { heldOut: !info || info.valChars > 0, loss });

/**
 * Whether leaving the page would lose training: the model has trained past what a file holds,
 * and no autosave of it is there to restore (autosave off while an earlier one is on offer, not
 * written yet, or failed).
 */
export function unsavedWork() {
  return !!page.model && page.iteration > page.keptIteration && !(page.autosaveOn && page.autosaved);
}

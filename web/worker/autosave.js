// Autosave: now and then, weights that validated well are written to this browser's IndexedDB
// (web/shared/autosave-store.js) with their text, so a reload or a crash loses little.
import { LOOP } from '../settings/defaults.js';
import { REPORT } from '../shared/worker-protocol.js';
import { writeAutosave, discardAutosave as discardStored } from '../shared/autosave-store.js';
import { emit } from './reports.js';

let enabled = false; // off until the page says (an earlier autosave may be on offer)
let chain = Promise.resolve(); // writes one after another
let lastAutosave = -Infinity;

/** CALL.setAutosave. */
export function setAutosave(on) {
  enabled = on;
}

/** CALL.discardAutosave: deletes the stored autosave (after any write under way). */
export async function discardAutosave() {
  await chain;
  await discardStored();
}

/** After a healthy validation (valLoss, at time `now`): an autosave of the session when one is due. */
export function autosaveIfDue(session, valLoss, now) {
  if (!enabled || now - lastAutosave < LOOP.autosaveEveryMs) return;
  lastAutosave = now;
  const t = session.trainer;
  autosave({ bytes: t.save({ checkpoint: true }), iteration: t.iteration, valLoss }, t, session.text);
}

function autosave(good, t, text) {
  // The best weights go with the latest (a model file, float32), unless they are the latest.
  const best = t.best && t.best.iteration !== good.iteration ? { ...t.best, bytes: t.saveBest() } : null;
  const summary = { iteration: good.iteration, valLoss: good.valLoss, valSliceChars: LOOP.valSliceChars,
    modelConfig: t.modelConfig, textId: text.textId, textName: text.name, heldOut: t.valChars > 0,
    best: best ? { iteration: best.iteration, valLoss: best.valLoss } : null };
  chain = chain
    .then(() => writeAutosave(good.bytes, summary, text.bytes, best?.bytes ?? null))
    .then(() => emit(REPORT.autosave, { iteration: good.iteration, valLoss: good.valLoss }))
    .catch((e) => emit(REPORT.autosaveFailed, { message: e.message }));
}

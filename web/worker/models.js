// The model as a whole: saving it (latest or best weights, float32 or float16), loading a model
// file or the autosave, the best weights and dropout (overfitting), and the full evaluation.
import * as Comlink from 'comlink';
import { LOOP } from '../settings/defaults.js';
import { REPORT } from '../shared/worker-protocol.js';
import { readAutosave } from '../shared/autosave-store.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { inputError, isCrash, usageError } from './crashes.js';
import { bytesOf, preview, restoredText } from './text.js';
import { beginSession, reshard, sessionInfo, setRunning } from './session.js';
import { validate } from './training-loop.js';
import { periodicSample } from './samples.js';

/** The current model's trainer; `what` ends the message when there is none. */
function trainerOr(what) {
  if (!state.session) throw usageError(what);
  return state.session.trainer;
}
const NO_MODEL_TO_SAVE = 'There is no model to save yet: press Train first.';
const NO_MODEL = 'There is no model yet: press Train first.';

/**
 * CALL.saveChoices: what Save model can write: the latest and the best weights ({ iteration,
 * valLoss }, best null when none is kept or it is the latest), each with its file size in float32
 * and in float16.
 */
export function saveChoices() {
  const t = trainerOr(NO_MODEL_TO_SAVE);
  const sizes = (save) => ({ f32Bytes: save({ f16: false }).length, f16Bytes: save({ f16: true }).length });
  const best = t.best && t.best.iteration !== t.iteration
    ? { ...t.best, ...sizes((o) => t.saveBest(o)) } : null;
  return { latest: { iteration: t.iteration, valLoss: state.session.lastValLoss ?? NaN, ...sizes((o) => t.save(o)) },
    best };
}

/** CALL.saveBest: the best weights as a model file ({ f16 }), with their iteration and validation loss. */
export function saveBest({ f16 = false } = {}) {
  const t = trainerOr(NO_MODEL_TO_SAVE);
  const bytes = t.saveBest({ f16 });
  return Comlink.transfer({ bytes, ...t.best, modelConfig: t.modelConfig }, [bytes.buffer]);
}

/** CALL.save: the model as .safetensors bytes, and the validation loss of exactly those weights. */
export function save({ checkpoint, f16 = false }) {
  const t = trainerOr(NO_MODEL_TO_SAVE);
  const bytes = t.save({ checkpoint, f16 });
  const valLoss = t.evaluate(LOOP.valSliceChars);
  emit(REPORT.val, { iteration: t.iteration, valLoss, sliceChars: Math.min(LOOP.valSliceChars, t.valChars) });
  return Comlink.transfer({ bytes, iteration: t.iteration, valLoss, modelConfig: t.modelConfig }, [bytes.buffer]);
}

/** CALL.restoreBest: back to the best weights (training goes on from them when resumed). */
export function restoreBest() {
  const t = trainerOr(NO_MODEL);
  t.restoreBest();
  validate();
  return t.best;
}

/** CALL.setDropout: dropout from the next step on (the form's value is checked by the engine). */
export function setDropout(p) {
  const t = trainerOr(NO_MODEL);
  t.setDropout(p);
  return t.modelConfig;
}

/** CALL.evaluateFull: validation loss over the whole validation split (slow on a large text). */
export function evaluateFull() {
  const t = trainerOr('There is no model to evaluate yet: press Train first.');
  return { iteration: t.iteration, valLoss: t.evaluate(), chars: t.valChars };
}

/**
 * CALL.loadModel: continues with a model file on the staged text (a checkpoint resumes exactly). A
 * file that is corrupt or whose vocabulary does not cover the text leaves the current model untouched.
 */
export async function loadModel(source, { name, train }) {
  const { staged } = state;
  if (!staged) throw usageError('There is no training text yet. Load the text the model was trained on first.');
  if (staged.error) throw inputError(`The training text cannot be used: ${staged.error}`);
  const text = staged; // the text checked above, whatever is staged while the file is read
  const bytes = await bytesOf(source, name);
  let trainer;
  try {
    trainer = state.engine.loadTrainer(bytes, text.bytes, train, { resume: true });
  } catch (e) {
    if (isCrash(e)) throw e;
    throw inputError(`Could not load “${name}”: ${e.message} The current model is unchanged.`);
  }
  return opened(trainer, text);
}

/** CALL.restoreAutosave: the autosaved checkpoint, resumed on the text it was trained on. */
export async function restoreAutosave() {
  const saved = await readAutosave();
  if (!saved) throw inputError('The autosaved model is no longer there (another tab may have replaced it).');
  const text = restoredText(saved.textBytes, saved.summary);
  const trainer = state.engine.loadTrainer(saved.checkpoint, text.bytes, {}, { resume: true });
  if (saved.best) {
    try {
      trainer.adoptBest(saved.best);
    } catch (e) {
      if (isCrash(e)) throw e; // a best that does not fit is left out: the latest weights are what matters
    }
  }
  state.staged = text;
  return { ...opened(trainer, text), preview: preview(text.bytes) };
}

/** A loaded or restored model: paused, measured, and with a first sample to look at. */
function opened(trainer, text) {
  state.running = false;
  beginSession(trainer, text);
  reshard(); // a checkpoint's own batch size is known only now
  const valLoss = validate();
  periodicSample();
  setRunning(false);
  return { ...sessionInfo(), valLoss };
}

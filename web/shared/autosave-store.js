// The autosaved checkpoint in IndexedDB (through idb-keyval), so a reload or a crashed worker
// can give the model back. The worker writes it (the checkpoint never has to cross to the page);
// the page reads the small summary to offer a restore, and discards it when asked.
//
// The training text is written once per text, the checkpoint every few seconds (with the best
// weights so far, as a model file, when they are not the latest); the summary, written last,
// names them, so a half-written autosave is never offered.
import { get, set, delMany, createStore } from 'idb-keyval';

const store = createStore('charrnn-trainer', 'autosave');
const SUMMARY = 'summary'; // { iteration, valLoss, valSliceChars, modelConfig, textId, textName, textChars, savedAt, checkpointId, best }
const CHECKPOINT = 'checkpoint'; // { checkpointId, bytes, best: model file bytes or null }
const TEXT = 'text'; // { textId, bytes }

let writtenTextId = null; // the text this worker already stored

/**
 * Stores a checkpoint (bytes) and the best weights (a model file, or null) with their summary
 * (iteration, valLoss, ..., textId, best: { iteration, valLoss } or null) and, when its id is new,
 * the training text it belongs to.
 */
export async function writeAutosave(bytes, summary, textBytes, bestBytes = null) {
  if (writtenTextId !== summary.textId) {
    await set(TEXT, { textId: summary.textId, bytes: textBytes }, store);
    writtenTextId = summary.textId;
  }
  const checkpointId = `${summary.textId}:${summary.iteration}:${Date.now()}`;
  await set(CHECKPOINT, { checkpointId, bytes, best: bestBytes }, store);
  await set(SUMMARY, { ...summary, textChars: textBytes.length, savedAt: Date.now(), checkpointId }, store);
}

/** The summary of the stored autosave, or null: what the page shows when it offers a restore. */
export async function peekAutosave() {
  try {
    return (await get(SUMMARY, store)) ?? null;
  } catch {
    return null; // no IndexedDB (private mode in some browsers): nothing to offer
  }
}

/** The whole autosave { summary, checkpoint, best, textBytes }, or null when it is missing or torn. */
export async function readAutosave() {
  const [summary, checkpoint, text] = await Promise.all([get(SUMMARY, store), get(CHECKPOINT, store), get(TEXT, store)]);
  if (!summary || !checkpoint || !text) return null;
  if (summary.checkpointId !== checkpoint.checkpointId || summary.textId !== text.textId) return null;
  return { summary, checkpoint: checkpoint.bytes, best: checkpoint.best ?? null, textBytes: text.bytes };
}

/** Called in the worker that writes, so its memory of the stored text is reset too. */
export async function discardAutosave() {
  await delMany([SUMMARY, CHECKPOINT, TEXT], store);
  writtenTextId = null;
}

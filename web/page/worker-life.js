// The training worker's life on the page: starting it, calling it (calls made while a new one
// starts wait for it), and replacing it when it crashes, handing the new one the text and the
// autosave setting the old one had.
import { CALL, REPORT } from '../shared/worker-protocol.js';
import { peekAutosave } from '../shared/autosave-store.js';
import { formatNumber } from '../shared/format.js';
import { useEngineSettings } from '../settings/form.js';
import { readBudget } from '../settings/budget.js';
import { requestedThreads, showThreads } from '../settings/threads-control.js';
import { showMessage, closeMessage } from '../views/messages.js';
import { startTrainer } from './worker-client.js';
import { TEST_HOOKS } from './test-hooks.js';
import { page } from './state.js';
import { refreshControls, fatal, failed } from './status.js';
import { onReport } from './reports.js';
import { inspector } from './views.js';
import { samplingSettings } from './sample-controls.js';
import { restoreAutosave } from './models.js';

let booting = null; // the latest bootWorker(): calls made while a worker starts wait for it
let starting = null; // the worker bootWorker() is starting, until it is ready

/** Starts a worker; resolves true once it is ready (false if it failed to start). */
export function bootWorker() {
  booting = startWorker();
  return booting;
}

/** The latest bootWorker()'s promise. */
export const booted = () => booting;

async function startWorker() {
  page.worker = null;
  refreshControls();
  const w = startTrainer({ onReport, onCrash });
  starting = w;
  try {
    useEngineSettings(await w.ready);
  } catch (e) {
    // A page that has already failed (no SIMD) keeps its own message.
    if (e.name !== 'EngineCrash' && !page.fatalError) {
      fatal('The trainer cannot run in this browser.', e.message);
    }
    return false;
  } finally {
    if (starting === w) starting = null;
  }
  page.worker = w;
  // A worker that dies here is onCrash's business; the boot itself succeeded.
  await w.remote[CALL.setSampling](samplingSettings()).catch(() => {});
  await w.remote[CALL.setThreads](requestedThreads()).then(showThreads).catch(() => {});
  await w.remote[CALL.setBudget](readBudget()).catch(() => {});
  page.autosaveOn = false; // a new worker starts with autosave off
  refreshControls();
  return true;
}

/** Stops the worker (started or starting) for good: this browser cannot run the trainer. */
export function stopWorker() {
  starting?.terminate();
  page.worker?.terminate();
  page.worker = null;
}

async function onCrash(message) {
  page.running = false;
  page.model = null;
  inspector.onReport({ type: REPORT.state, running: false, hasModel: false, iteration: 0 });
  // The new worker starts at once, so calls made from now on wait for it, not for the dead one.
  const restarted = bootWorker();
  const offer = await peekAutosave();
  const actions = [];
  if (offer) {
    actions.push({ label: `Restore the autosaved model (iteration ${formatNumber(offer.iteration)})`, primary: true,
      onClick: () => restoreAutosave() });
  }
  showMessage({ id: 'crash', kind: 'error', title: 'The trainer stopped.',
    text: `${message} It has been restarted${offer ? '; the last autosave can be restored' : ''}.`, actions });
  if (!(await restarted)) return;
  if (page.lastStaged) {
    await stage(page.lastStaged.source, { name: page.lastStaged.name, wantPreview: false }).catch((e) => {
      failed('crash-text', 'The training text could not be handed to the restarted trainer.', e,
        ' Load the text again (or pick a preset) before you press Train.');
    });
  }
  await setAutosave(!page.autosaveOffer).catch(() => {});
}

// ?test: the browser tests crash the engine on purpose, as a fault inside it would (a trap).
if (TEST_HOOKS) globalThis.charrnnCrashForTest = () => call(CALL.crashForTest);
// ?test: a budget of any length (Train for offers minutes and an hour), so that a test sees one end.
if (TEST_HOOKS) globalThis.charrnnBudgetForTest = (minutes) => call(CALL.setBudget, minutes);

/** Calls the worker (name: one of CALL); while a new one starts (after a crash) the call waits for it. */
export async function call(name, ...args) {
  while (!page.worker) {
    const pending = booting;
    if (!pending || !(await pending)) throw new Error('The engine is not running: reload the page.');
  }
  return page.worker.remote[name](...args);
}

/**
 * Hands a text (bytes, or a Blob the worker reads) to the worker. Bytes are copied, not
 * transferred: the page keeps the text (a Blob costs nothing to keep) for a restarted worker.
 */
export async function stage(source, options) {
  const summary = await call(CALL.stageText, source, options);
  closeMessage('train'); // a refusal of the previous text (too short, say) is about that text
  page.lastStaged = { source, name: options.name };
  return summary;
}

export async function setThreads(n) {
  closeMessage('threads');
  try {
    showThreads(await call(CALL.setThreads, n));
    return true;
  } catch (e) {
    failed('threads', 'The number of threads was not changed.', e);
    return false;
  }
}

export async function setAutosave(on) {
  await call(CALL.setAutosave, on);
  page.autosaveOn = on;
}

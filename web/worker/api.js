// The trainer page's worker: it owns the engine (WASM) and drives it. This is its entry point and
// the API the page calls through Comlink (CALL in web/shared/worker-protocol.js); each call has
// the engine to itself while it runs (engine-turns.js). The work is in the modules beside it:
// text.js (the training text), session.js (the model being trained), training-loop.js, samples.js,
// models.js (save, load, best weights), autosave.js, inspection.js, why.js ("Why it works"); crashes.js tells an engine
// crash from an error the reader can act on.
import * as Comlink from 'comlink';
import { load } from '../../build/wasm/charrnn.js';
import { CALL } from '../shared/worker-protocol.js';
import { state } from './state.js';
import { crashForTest, usageError } from './crashes.js';
import { guard } from './engine-turns.js';
import { stageText, stagedSummary } from './text.js';
import { startModel, resetModel, setRunning, setThreads } from './session.js';
import { setSampling, streamSample } from './samples.js';
import {
  saveChoices, save, saveBest, restoreBest, setDropout, evaluateFull, loadModel, restoreAutosave,
} from './models.js';
import { setAutosave, discardAutosave } from './autosave.js';
import { inspectTrainer, inspectedNeuron } from './inspection.js';
import { recipe, setBudget } from './budget.js';
import { whyDefaults, whyNgram, whyGates, whyReachAt, whyReachCurve } from './why.js';

// The engine's code is fetched and compiled from the moment this worker runs, before the page's
// init() arrives (compileStreaming compiles while the bytes arrive, and the browser keeps the
// compiled code for the next visit). init() uses it when asked for this same file.
const ENGINE_URL = new URL('./charrnn_training.wasm', import.meta.url).href;
const compiling = WebAssembly.compileStreaming(fetch(ENGINE_URL));
compiling.catch(() => {}); // init() reports a failure, when it comes to use it

/** Loads the engine. Throws a CharRnnError without WASM SIMD. */
async function init(wasmUrl, { noNestedWorkers = false, testHooks = false } = {}) {
  if (noNestedWorkers) self.Worker = undefined; // the browser tests' stand-in for a browser without them
  state.testHooks = testHooks;
  state.engine = await load({ wasmUrl, wasmModule: wasmUrl === ENGINE_URL ? compiling : undefined });
  const { defaults: { model, train }, schema } = state.engine;
  return { model, train, schema }; // the page's form starts from these
}

/**
 * Inside the network: the model's guesses and activations on a text (the reader's, or an excerpt
 * of the validation text), and its most interpretable units. Runs between training chunks; the
 * arrays are transferred. See inspection.js.
 */
function inspect(options) {
  if (!state.session) throw usageError('There is no model to look inside yet: press Train first.');
  return inspectTrainer(state.session.trainer, state.session.text, options, state.session.lastValLoss);
}

/** "Why it works" (why.js) on the model being trained. */
const onModel = (fn) => (request) => {
  if (!state.session) throw usageError('There is no model to look inside yet: press Train first.');
  return fn(state.session, state.engine, request);
};

const api = {
  [CALL.init]: init,
  [CALL.stageText]: stageText,
  [CALL.stagedSummary]: stagedSummary,
  [CALL.start]: startModel,
  [CALL.recipe]: recipe,
  [CALL.setBudget]: setBudget,
  [CALL.pause]: () => setRunning(false),
  [CALL.resume]: () => setRunning(true),
  [CALL.reset]: resetModel,
  [CALL.setLearningRate]: (lr) => { state.session?.trainer.setLearningRate(lr); },
  [CALL.setThreads]: setThreads,
  [CALL.setSampling]: setSampling,
  [CALL.sample]: streamSample,
  [CALL.saveChoices]: saveChoices,
  [CALL.save]: save,
  [CALL.saveBest]: saveBest,
  [CALL.restoreBest]: restoreBest,
  [CALL.setDropout]: setDropout,
  [CALL.loadModel]: loadModel,
  [CALL.restoreAutosave]: restoreAutosave,
  [CALL.setAutosave]: setAutosave,
  [CALL.discardAutosave]: discardAutosave,
  [CALL.inspect]: inspect,
  [CALL.inspectedNeuron]: (request) => (state.session ? inspectedNeuron(state.session.trainer, request) : null),
  [CALL.evaluateFull]: evaluateFull,
  [CALL.crashForTest]: crashForTest,
  [CALL.whyDefaults]: () => whyDefaults(state.engine),
  [CALL.whyNgram]: onModel(whyNgram),
  [CALL.whyGates]: onModel(whyGates),
  [CALL.whyReachAt]: onModel(whyReachAt),
  [CALL.whyReachCurve]: onModel(whyReachCurve),
};

// Every call in CALL has its method here, and nothing else is exposed.
const missing = Object.values(CALL).filter((name) => !(name in api));
if (missing.length || Object.keys(api).length !== Object.keys(CALL).length) {
  throw new Error(`worker/api.js does not match CALL: missing ${missing.join(', ')}`);
}

Comlink.expose(Object.fromEntries(Object.entries(api).map(([name, fn]) => [name, guard(fn)])));

// The <char-rnn> widget's worker: one per page, shared by every widget on it. It loads the
// sampling engine once and each model URL once, and streams samples back in small chunks so the
// first characters show at once, a busy model never freezes the page, and several widgets take
// turns (each chunk waits for its widget's reply, which lets the other jobs' messages in). It also
// inspects a text for view="inspect".
import * as Comlink from 'comlink';
import { load, CharRnnError } from '../../build/wasm/charrnn.js';
import { modelName } from './options.js';

// Characters per message: small enough that typing starts at once, large enough that the
// message round trips cost nothing next to the sampling.
const CHUNK = 16;

let engine = null; // Promise<Engine>
const models = new Map(); // absolute model URL -> Promise<Model>

function getEngine() {
  if (!engine) {
    engine = load({ module: 'sampling', wasmUrl: new URL('./charrnn_sampling.wasm', import.meta.url).href })
      .catch((e) => {
        // The engine's own messages (no WASM SIMD, ...) are for readers; Emscripten's are not.
        if (e instanceof CharRnnError) throw e;
        console.warn(e);
        throw new Error('The sampling engine (charrnn_sampling.wasm) could not start.');
      });
    engine.catch(() => {}); // started early, awaited later: not an unhandled rejection meanwhile
  }
  return engine;
}

async function fetchModel(url) {
  const name = modelName(url);
  const charrnn = getEngine(); // starts alongside the download
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error(`Could not download the model “${name}” (network error, or the server refused it).`);
  }
  if (!response.ok) {
    throw new Error(`Could not load the model “${name}”: the server answered ${response.status}` +
      `${response.statusText ? ` ${response.statusText}` : ''}.`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const { loadModel } = await charrnn;
  try {
    return loadModel(bytes);
  } catch (e) {
    throw new Error(`Could not load the model “${name}”. ${e.message}`);
  }
}

function getModel(url) {
  let model = models.get(url);
  if (!model) {
    model = fetchModel(url);
    // Forget failures, so "Sample again" retries a download that failed on the way.
    model.catch(() => models.delete(url));
    models.set(url, model);
  }
  return model;
}

/**
 * A sampling setting as the engine takes it: its default when not given (null), else clamped to
 * its range (the engine's settings table, charrnn.d.ts: Setting), so a page's temperature="500"
 * samples at the engine's highest rather than failing.
 */
function taken(schema, js, value) {
  const s = schema.find((entry) => entry.group === 'sample' && entry.js === js);
  return value == null ? s.default : Math.min(s.max, Math.max(s.min, value));
}

/**
 * Streams `length` characters after `prime` to onChunk(text), a callback in the page that
 * returns false once its widget no longer wants them (resampled, removed).
 */
async function sample({ url, prime, length, temperature, topK, seed }, onChunk) {
  try {
    const model = await getModel(url);
    const { schema } = await getEngine();
    const sampler = model.sampler({ temperature: taken(schema, 'temperature', temperature),
      topK: taken(schema, 'topK', topK), seed });
    try {
      // Characters the model does not know are left out (and named to the widget), not an error:
      // a reader's own priming text may hold any character.
      const unknown = sampler.primeKnown(prime);
      if (unknown && !(await onChunk('', { left: unknown }))) return;
      for (let left = length; left > 0; left -= CHUNK) {
        if (!(await onChunk(sampler.next(Math.min(CHUNK, left))))) break;
      }
    } finally {
      sampler.dispose();
    }
  } finally {
    onChunk[Comlink.releaseProxy]();
  }
}

/**
 * view="inspect": the model's top-k guesses and every unit's activation after each character of
 * `text` (see charrnn.d.ts: Inspection), with the model's vocabulary. The arrays are transferred.
 */
async function inspect({ url, text, topK }) {
  const model = await getModel(url);
  let r;
  try {
    r = model.inspect(text, { topK: Math.min(topK, model.vocab.length) });
  } catch (e) {
    throw new Error(`Could not look inside the model “${modelName(url)}”: ${e.message}`);
  }
  return Comlink.transfer({ ...r, text, vocab: model.vocab },
    [r.ids.buffer, r.topIds.buffer, r.topProbs.buffer, r.pActual.buffer, r.h.buffer, r.c.buffer]);
}

Comlink.expose({ sample, inspect });

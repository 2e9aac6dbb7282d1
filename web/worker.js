// The trainer page's worker: it owns the engine (WASM) and drives it. It trains in chunks of a
// few tens of milliseconds, reads its messages between chunks, and reports a few times a second
// (not per step): progress, validation on a slice, fresh samples, autosaves. The page calls it
// through Comlink; its reports are plain messages ({ report }).
import * as Comlink from 'comlink';
import { load, CharRnnError } from '../build/wasm/charrnn.js';
import { LOOP, LIMITS, SAMPLING, THREADS } from './default-settings.js';
import { writeAutosave, readAutosave, discardAutosave } from './autosave.js';
import { formatBytes } from './format.js';
import { inspectTrainer, inspectedNeuron } from './inspect-worker.js';

// The engine's code is fetched and compiled from the moment this worker runs, before the page's
// init() arrives (compileStreaming compiles while the bytes arrive, and the browser keeps the
// compiled code for the next visit). init() uses it when asked for this same file.
const ENGINE_URL = new URL('./charrnn_training.wasm', import.meta.url).href;
const compiling = WebAssembly.compileStreaming(fetch(ENGINE_URL));
compiling.catch(() => {}); // init() reports a failure, when it comes to use it

let engine = null;
// Reports to the page: plain one-way messages beside Comlink's calls (which have an id; these do
// not, so Comlink ignores them). A few a second, and none waits for an answer.
const emit = (report) => self.postMessage({ report });
let staged = null; // the text the next Train uses: { bytes, name, textId, info, error }
let session = null; // the model being trained: see beginSession()
let running = false;
let looping = false;
let holds = 0; // > 0 while an API call or a streamed sample has the engine to itself: no chunk starts
let holdWaiters = [];
let sampling = { temperature: SAMPLING.temperature, prime: SAMPLING.prime, length: SAMPLING.length };
let autosaveEnabled = false;
let autosaveChain = Promise.resolve();
let lastAutosave = -Infinity;
let textCounter = 0;
let threads = 1; // the page's Threads: shards per batch (at most the batch size), shards 2.. in helper workers
let stepping = null; // a chunk of steps whose shards are out in helpers: other calls wait for it

// A task boundary without setTimeout's 4 ms clamp: the page's messages are handled in between.
const channel = new MessageChannel();
const wakeups = [];
channel.port1.onmessage = () => wakeups.shift()?.();
const nextTask = () => new Promise((resolve) => {
  wakeups.push(resolve);
  channel.port2.postMessage(0);
});

// Errors the reader can act on are CharRnnErrors; anything else (a trap, an abort) means the
// engine's memory can no longer be trusted, and the page replaces this worker.
const TRAP = /^(Aborted|unreachable|memory access out of bounds|RuntimeError|null function|table index|integer overflow|divide by zero|Maximum call stack)/i;

class EngineCrash extends Error {
  constructor(cause) {
    super(`The training engine stopped working (${cause?.message ?? cause}).`);
    this.name = 'EngineCrash';
  }
}

function isCrash(e) {
  return !(e instanceof Error) || e.name !== 'CharRnnError' || TRAP.test(e.message);
}

function userError(message) {
  return new CharRnnError(message);
}

/** Wraps an API method: a crash stops everything and is reported as such. */
function guard(fn) {
  return async (...args) => {
    // The call has the engine to itself: no training chunk starts until it returns (it may await
    // a file or the database meanwhile), and one under way (its shards out in helper workers)
    // finishes first.
    hold();
    try {
      while (stepping) await stepping.catch(() => {});
      return await fn(...args);
    } catch (e) {
      if (!isCrash(e)) throw e;
      crashed(e);
      throw new EngineCrash(e);
    } finally {
      release();
    }
  };
}

function crashed(e) {
  running = false;
  session = null;
  emit({ type: 'crash', message: new EngineCrash(e).message });
}

function newTextId() {
  return `${Date.now().toString(36)}-${++textCounter}`;
}

/**
 * The bytes of a text or model the page handed over: a Uint8Array, or a Blob (a File the reader
 * picked, a fetched file) which is read here, so a large file never costs the page's thread.
 */
async function bytesOf(source, name) {
  if (!(source instanceof Blob)) return source;
  try {
    return new Uint8Array(await source.arrayBuffer());
  } catch (e) {
    throw userError(`“${name}” could not be read (${e.message}).`);
  }
}

// --- the text -------------------------------------------------------------------------------

/** Characters, distinct symbols and the split, counted by the engine (which also checks the UTF-8). */
function describe(bytes) {
  return engine.describeText(bytes);
}

/** A text's figures as a trainer made from it counted them. */
function infoOf(trainer) {
  return { chars: trainer.trainChars + trainer.valChars, trainChars: trainer.trainChars, valChars: trainer.valChars,
    vocab: trainer.vocab };
}

/** The start of a text, for the page's text area: at most LIMITS.textAreaChars UTF-16 units. */
function preview(bytes) {
  const limit = LIMITS.textAreaChars;
  const head = bytes.subarray(0, Math.min(bytes.length, limit * 3));
  let text = new TextDecoder().decode(head, { stream: head.length < bytes.length });
  let truncated = head.length < bytes.length;
  if (text.length > limit) {
    const code = text.charCodeAt(limit - 1);
    text = text.slice(0, code >= 0xd800 && code < 0xdc00 ? limit - 1 : limit); // never half a pair
    truncated = true;
  }
  return { text, truncated };
}

function textSummary(text) {
  if (!text.info) return { name: text.name, bytes: text.bytes.length };
  return { name: text.name, chars: text.info.chars, trainChars: text.info.trainChars, valChars: text.info.valChars,
    vocab: text.info.vocab, bytes: text.bytes.length };
}

// --- the session ----------------------------------------------------------------------------

/**
 * Makes `trainer` the current model. The engine keeps its rollback point (the weights last known
 * good) and returns to it when training blows up.
 */
function beginSession(trainer, text) {
  const old = session;
  session = {
    trainer,
    text,
    sampleSeed: 0,
    acc: newAccumulator(),
    lastReport: -Infinity, // the first chunk reports at once (the page times its first step)
    lastVal: performance.now(),
    lastSample: performance.now(),
  };
  old?.trainer.dispose();
  emit({ type: 'session', ...sessionInfo() });
}


/** Shards for a run with these training settings: the page's Threads, at most the batch size. */
function threadsFor(train) {
  return Math.max(1, Math.min(threads, train.batchSize ?? engine.defaults.train.batchSize));
}

/** Threads asked for and in use (helper workers that stopped leave their shards to this one). */
function threadInfo() {
  const t = session?.trainer;
  // starting: helpers that have not run yet (they start with the next training chunk: a model
  // just loaded or paused before its first chunk), as opposed to helpers that stopped.
  return { requested: threads, threads: t ? t.threads : threads, running: t ? 1 + t.helperThreads : 0,
    starting: !!t && t.threads > 1 && t.helperThreads === 0 && !session.threadsStopped,
    batchSize: t?.trainConfig.batchSize ?? null };
}

/**
 * The current model on another number of threads: a checkpoint resumed with the new shard count
 * (the same run; only the order of float sums differs). The new trainer's rollback point is the
 * weights it starts from, so they are checked first: weights that are not healthy give way to the
 * last ones known good. If the new trainer cannot be made (memory), the model stays on the
 * threads it had and the page is told.
 */
function reshard() {
  const s = session;
  const want = threadsFor(s.trainer.trainConfig);
  if (s.trainer.threads === want) return;
  const old = s.trainer;
  let valLoss = old.evaluate(LOOP.valSliceChars);
  if (!old.markGood(valLoss)) valLoss = old.rollBack().valLoss;
  let fresh;
  try {
    fresh = engine.loadTrainer(old.save({ checkpoint: true }), s.text.bytes, {}, { resume: true, threads: want });
    if (old.best) fresh.adoptBest(old.saveBest()); // the best weights go with it
  } catch (e) {
    fresh?.dispose();
    if (isCrash(e)) throw e;
    emit({ type: 'threads', ...threadInfo(), message: `The model stays on ${old.threads} thread` +
      `${old.threads === 1 ? '' : 's'}: ${e.message}` });
    return;
  }
  fresh.markGood(valLoss);
  s.trainer = fresh;
  s.threadsStopped = false; // the new trainer starts its own helpers
  old.dispose();
  emit({ type: 'threads', ...threadInfo(), message: null });
}

function sessionInfo() {
  const t = session.trainer;
  return { threads: threadInfo(), modelConfig: t.modelConfig, trainConfig: t.trainConfig, vocab: t.vocab, parameters: t.parameters,
    trainChars: t.trainChars, valChars: t.valChars, stepsPerEpoch: t.stepsPerEpoch, iteration: t.iteration,
    epoch: t.epoch, learningRate: t.learningRate, text: textSummary(session.text),
    valSliceChars: Math.min(LOOP.valSliceChars, t.valChars), best: t.best };
}

// parallelSteps and the four *Ms after it: where the steps trained with helpers spent their time
// (trainInParallel's timing), for the page's threads benchmark.
function newAccumulator() {
  return { steps: 0, applied: 0, skipped: 0, chars: 0, lossSum: 0, trainMs: 0,
    parallelSteps: 0, sendMs: 0, ownShardMs: 0, waitMs: 0, finishMs: 0 };
}

function setRunning(value) {
  running = value && !!session;
  emit({ type: 'state', running, hasModel: !!session, iteration: session?.trainer.iteration ?? 0 });
  if (running) runLoop();
}

// --- the training loop ----------------------------------------------------------------------

async function runLoop() {
  if (looping) return;
  looping = true;
  try {
    while (running && session) {
      if (holds > 0) {
        await new Promise((resolve) => holdWaiters.push(resolve));
        continue;
      }
      const s = session;
      const t0 = performance.now();
      let r;
      // A model's first chunk runs here alone (train() gives what trainInParallel() would): the
      // helpers start with the second, so their start-up leaves the CPU to the first step.
      if (s.trainer.threads > 1 && s.lastReport > -Infinity) {
        stepping = s.trainer.trainInParallel(LOOP.maxStepsPerChunk, { maxMs: LOOP.chunkMs });
        try {
          r = await stepping;
        } finally {
          stepping = null;
        }
        if (r.threadError) s.threadsStopped = true; // its helpers will not start again
        const info = threadInfo();
        if (r.threadError || info.running !== s.runningThreads) {
          s.runningThreads = info.running; // helpers started, or stopped
          emit({ type: 'threads', ...info, message: r.threadError });
        }
      } else {
        r = s.trainer.train(LOOP.maxStepsPerChunk, { maxMs: LOOP.chunkMs });
      }
      const chunk = { steps: r.steps, applied: r.applied, skipped: r.skipped, chars: r.chars, lossSum: r.lossSum,
        trainMs: performance.now() - t0, ...(r.timing ? { parallelSteps: r.steps, ...r.timing } : {}) };
      if (r.diverged) {
        diverged(r);
        break;
      }
      for (const k of Object.keys(chunk)) s.acc[k] += chunk[k];
      const now = performance.now();
      if (now - s.lastReport >= LOOP.reportEveryMs) report(now);
      if (now - s.lastVal >= (s.valIntervalMs ?? LOOP.valEveryMs)) validate();
      if (now - s.lastSample >= LOOP.sampleEveryMs) periodicSample();
      await nextTask();
    }
  } catch (e) {
    crashed(e);
  } finally {
    looping = false;
  }
}

function report(now) {
  const s = session;
  const a = s.acc;
  const t = s.trainer;
  if (a.steps === 0) return;
  emit({ type: 'progress', iteration: t.iteration, epoch: t.epoch, loss: a.applied ? a.lossSum / a.applied : NaN,
    steps: a.steps, skipped: a.skipped, msPerIter: a.trainMs / a.steps,
    charsPerSec: a.chars / (a.trainMs / 1000), learningRate: t.learningRate,
    stepMs: a.parallelSteps ? { send: a.sendMs / a.parallelSteps, ownShard: a.ownShardMs / a.parallelSteps,
      wait: a.waitMs / a.parallelSteps, finish: a.finishMs / a.parallelSteps } : null });
  s.acc = newAccumulator();
  s.lastReport = now;
}

/**
 * Validation loss on the slice. Weights whose loss is healthy become the engine's rollback point
 * and, now and then, the autosave; weights a ruinous step left behind become neither.
 */
function validate() {
  const s = session;
  const t = s.trainer;
  const started = performance.now();
  const valLoss = t.evaluate(LOOP.valSliceChars);
  // A large model's slice takes long (a third of the time at every 6 s for an LSTM 2×512): the
  // next one waits until validating is at most LOOP.valMaxShare of the time.
  const valMs = performance.now() - started;
  s.valIntervalMs = Math.max(LOOP.valEveryMs, valMs / LOOP.valMaxShare);
  s.lastValLoss = valLoss;
  emit({ type: 'val', iteration: t.iteration, valLoss, sliceChars: Math.min(LOOP.valSliceChars, t.valChars),
    valMs, nextInMs: s.valIntervalMs });
  const good = t.markGood(valLoss);
  // The engine keeps the weights with the lowest validation loss beside the latest (overfitting).
  if (t.keepIfBest(valLoss)) emit({ type: 'best', ...t.best });
  s.lastVal = performance.now();
  if (good && autosaveEnabled && s.lastVal - lastAutosave >= LOOP.autosaveEveryMs) {
    lastAutosave = s.lastVal;
    autosave({ bytes: t.save({ checkpoint: true }), iteration: t.iteration, valLoss }, s.text);
  }
  return valLoss;
}

function autosave(good, text) {
  const t = session.trainer;
  // The best weights go with the latest (a model file, float32), unless they are the latest.
  const best = t.best && t.best.iteration !== good.iteration ? { ...t.best, bytes: t.saveBest() } : null;
  const summary = { iteration: good.iteration, valLoss: good.valLoss, valSliceChars: LOOP.valSliceChars,
    modelConfig: t.modelConfig, textId: text.textId, textName: text.name, heldOut: t.valChars > 0,
    best: best ? { iteration: best.iteration, valLoss: best.valLoss } : null };
  autosaveChain = autosaveChain
    .then(() => writeAutosave(good.bytes, summary, text.bytes, best?.bytes ?? null))
    .then(() => emit({ type: 'autosave', iteration: good.iteration, valLoss: good.valLoss }))
    .catch((e) => emit({ type: 'autosave-failed', message: e.message }));
}

/** A chunk blew up: stop, go back to the weights last known good, and tell the page. */
function diverged(r) {
  const s = session;
  const bad = { iteration: r.iteration, learningRate: r.learningRate, skipped: r.skipped, loss: r.loss };
  running = false;
  const back = s.trainer.rollBack();
  s.acc = newAccumulator();
  emit({ type: 'diverged', ...bad, restoredIteration: back.iteration, restoredValLoss: back.valLoss,
    restoredLearningRate: back.learningRate, suggestedLearningRate: back.suggestedLearningRate });
  emit({ type: 'state', running: false, hasModel: true, iteration: s.trainer.iteration });
}

// --- samples --------------------------------------------------------------------------------

function hold() {
  holds++;
}

function release() {
  holds--;
  if (holds === 0) for (const wake of holdWaiters.splice(0)) wake();
}

/**
 * A sampler primed with the priming text. Characters outside the model's vocabulary are left out
 * (the rest still primes) and named in primeError.
 */
function primedSampler(t, settings, prime) {
  const sampler = t.sampler(settings);
  const left = Array.from(sampler.primeKnown(prime));
  if (left.length === 0) return { sampler, prime, primeError: null };
  const kept = Array.from(prime).filter((ch) => !left.includes(ch)).join('');
  const named = left.map((ch) => `“${ch}”`).join(', ');
  return { sampler, prime: kept, primeError: `The priming text's ${named} ${left.length === 1 ? 'is' : 'are'} not ` +
    'in the model\'s vocabulary and ' + (left.length === 1 ? 'was' : 'were') + ' left out.' };
}

function greedyLine(t, prime) {
  const { sampler } = primedSampler(t, { argmax: true }, prime);
  try {
    return sampler.next(SAMPLING.greedyLength);
  } finally {
    sampler.dispose();
  }
}

function periodicSample() {
  const s = session;
  const t = s.trainer;
  if (t.trainConfig.lines) {
    periodicLines(s);
    return;
  }
  const { sampler, prime, primeError } = primedSampler(t, { temperature: sampling.temperature, seed: ++s.sampleSeed },
    sampling.prime);
  let text;
  try {
    text = sampler.next(Math.min(sampling.length, SAMPLING.maxPeriodicLength));
  } finally {
    sampler.dispose();
  }
  emit({ type: 'sample', iteration: t.iteration, text, prime, primeError, greedy: greedyLine(t, prime),
    temperature: sampling.temperature });
  s.lastSample = performance.now();
}

/** Lines mode: a few whole lines, each marked by the engine as from the text or new, and the greedy line. */
function periodicLines(s) {
  const t = s.trainer;
  const lines = t.sampleLines({ count: SAMPLING.lines, maxChars: SAMPLING.maxLineChars,
    temperature: sampling.temperature, seed: ++s.sampleSeed });
  const [greedy] = t.sampleLines({ count: 1, maxChars: SAMPLING.maxLineChars, argmax: true });
  emit({ type: 'lines', iteration: t.iteration, lines, greedy: greedy.text, temperature: sampling.temperature });
  s.lastSample = performance.now();
}

// Characters per streamed message: the first ones show at once, and the stream stays cheap.
const STREAM_CHUNK = 24;

// --- the API the page calls -----------------------------------------------------------------

const api = {
  /** Loads the engine. Throws a CharRnnError without WASM SIMD. */
  init: guard(async (wasmUrl, { noNestedWorkers = false } = {}) => {
    if (noNestedWorkers) self.Worker = undefined; // the browser tests' stand-in for a browser without them
    engine = await load({ wasmUrl, wasmModule: wasmUrl === ENGINE_URL ? compiling : undefined });
    return { model: engine.defaults.model, train: engine.defaults.train }; // the page's form starts from these
  }),

  /**
   * Makes `source` (bytes or a Blob) the text the next Train uses, and returns its figures (and,
   * if asked, the start of it for the text area). replaceOnError false keeps the previous text
   * when this one is bad.
   */
  stageText: guard(async (source, { name, wantPreview = false, replaceOnError = true, countLater = false }) => {
    const bytes = await bytesOf(source, name);
    const text = { bytes, name, textId: newTextId(), info: null, error: null };
    if (countLater) {
      // Counted (and checked) when the model is made from it: one pass over the text instead of
      // two before the page's first training step. Its figures come with start()'s answer.
      staged = text;
      return { name, bytes: bytes.length, preview: wantPreview ? preview(bytes) : null };
    }
    try {
      text.info = describe(bytes);
    } catch (e) {
      if (isCrash(e)) throw e;
      text.error = e.message;
      if (replaceOnError) staged = text;
      throw e;
    }
    staged = text;
    return { ...textSummary(text), preview: wantPreview ? preview(bytes) : null };
  }),

  /** The staged text's figures, counting it now if stageText left that for later; null if none. */
  stagedSummary: guard(async () => {
    if (!staged) return null;
    if (!staged.info && !staged.error) staged.info = describe(staged.bytes);
    return textSummary(staged);
  }),

  /** A new model on the staged text; the current one stays if anything is wrong. */
  start: guard(async (model, train) => {
    if (!staged) throw userError('There is no training text yet. Paste some text or load a file first.');
    if (staged.error) throw userError(`${staged.error}`);
    const text = staged;
    const checkMemory = (vocabSize) => {
      const need = engine.estimateTrainingBytes(model, train, vocabSize);
      if (Number.isFinite(need) && need > LIMITS.memoryBudgetBytes) {
        throw userError(`These settings would need about ${formatBytes(need)} of memory to train, more than the ` +
          `${formatBytes(LIMITS.memoryBudgetBytes)} a browser tab can give the trainer. Lower the hidden size, ` +
          'the number of layers, the batch size or the sequence length.');
      }
    };
    // A text counted late has no vocabulary size yet: one symbol is a lower bound, so settings
    // far too big are refused before anything is allocated; the exact check follows below.
    checkMemory(text.info ? text.info.vocab.length : 1);
    let trainer;
    try {
      trainer = engine.createTrainer(text.bytes, model, train, { threads: threadsFor(train) });
    } catch (e) {
      if (!text.info && !isCrash(e)) {
        // The settings or the text? Counting the text tells; a bad text stays marked as such.
        try {
          text.info = describe(text.bytes);
        } catch (bad) {
          if (isCrash(bad)) throw bad;
          text.error = bad.message;
        }
      }
      throw e;
    }
    if (!text.info) {
      // A text counted late (stageText's countLater): the engine's limit held while it was made.
      text.info = infoOf(trainer);
      try {
        checkMemory(trainer.vocab.length);
      } catch (e) {
        trainer.dispose();
        throw e;
      }
    }
    beginSession(trainer, text);
    setRunning(true);
    return sessionInfo();
  }),

  pause: guard(async () => setRunning(false)),
  resume: guard(async () => setRunning(true)),

  /** Drops the model. */
  reset: guard(async () => {
    running = false;
    session?.trainer.dispose();
    session = null;
    setRunning(false);
  }),

  setLearningRate: guard(async (lr) => {
    session?.trainer.setLearningRate(lr);
  }),

  /**
   * Threads: each batch split into n shards, shards 2.. in helper workers (one WASM instance each).
   * Applies to the current model at once (it continues the same run) and to the next ones.
   */
  setThreads: guard(async (n) => {
    if (!Number.isSafeInteger(n) || n < 1 || n > THREADS.max) {
      throw userError(`Threads must be a whole number from 1 to ${THREADS.max}.`);
    }
    threads = n;
    if (session) reshard();
    return threadInfo();
  }),

  setSampling: guard(async (settings) => {
    sampling = { ...sampling, ...settings };
  }),

  /** A sample now, streamed to the page in small pieces ({ type: 'stream', id, text }). */
  sample: guard(async ({ id, temperature, prime, length }) => {
    if (!session) throw userError('There is no model to sample from yet: press Train first.');
    hold();
    try {
      const t = session.trainer;
      const seed = ++session.sampleSeed;
      const primed = primedSampler(t, { temperature, seed }, prime);
      const iteration = t.iteration;
      emit({ type: 'stream-start', id, iteration, temperature, prime: primed.prime, primeError: primed.primeError });
      let text = '';
      try {
        while (text.length < length) {
          const piece = primed.sampler.next(Math.min(STREAM_CHUNK, length - text.length));
          text += piece;
          emit({ type: 'stream', id, text: piece });
          await nextTask();
        }
      } finally {
        primed.sampler.dispose();
      }
      const greedy = greedyLine(t, primed.prime);
      return { id, iteration, text, greedy, prime: primed.prime, primeError: primed.primeError, temperature };
    } finally {
      release();
    }
  }),

  /**
   * What Save model can write: the latest and the best weights ({ iteration, valLoss }, best null
   * when none is kept or it is the latest), each with its file size in float32 and in float16.
   */
  saveChoices: guard(async () => {
    if (!session) throw userError('There is no model to save yet: press Train first.');
    const t = session.trainer;
    const sizes = (save) => ({ f32Bytes: save({ f16: false }).length, f16Bytes: save({ f16: true }).length });
    const best = t.best && t.best.iteration !== t.iteration
      ? { ...t.best, ...sizes((o) => t.saveBest(o)) } : null;
    return { latest: { iteration: t.iteration, valLoss: session.lastValLoss ?? NaN, ...sizes((o) => t.save(o)) },
      best };
  }),

  /** The best weights as a model file ({ f16 }), with their iteration and validation loss. */
  saveBest: guard(async ({ f16 = false } = {}) => {
    if (!session) throw userError('There is no model to save yet: press Train first.');
    const t = session.trainer;
    const bytes = t.saveBest({ f16 });
    return Comlink.transfer({ bytes, ...t.best, modelConfig: t.modelConfig }, [bytes.buffer]);
  }),

  /** Goes back to the best weights (training goes on from them when resumed). */
  restoreBest: guard(async () => {
    if (!session) throw userError('There is no model yet: press Train first.');
    const t = session.trainer;
    t.restoreBest();
    validate();
    return t.best;
  }),

  /** Dropout from the next step on (the form's value is checked by the engine: 0 to 0.95). */
  setDropout: guard(async (p) => {
    if (!session) throw userError('There is no model yet: press Train first.');
    session.trainer.setDropout(p);
    return session.trainer.modelConfig;
  }),

  /** The model as .safetensors bytes, and the validation loss of exactly those weights. */
  save: guard(async ({ checkpoint, f16 = false }) => {
    if (!session) throw userError('There is no model to save yet: press Train first.');
    const t = session.trainer;
    const bytes = t.save({ checkpoint, f16 });
    const valLoss = t.evaluate(LOOP.valSliceChars);
    emit({ type: 'val', iteration: t.iteration, valLoss, sliceChars: Math.min(LOOP.valSliceChars, t.valChars) });
    return Comlink.transfer({ bytes, iteration: t.iteration, valLoss, modelConfig: t.modelConfig }, [bytes.buffer]);
  }),

  /**
   * Continues with a model file on the staged text (a checkpoint resumes exactly). A file that is
   * corrupt or whose vocabulary does not cover the text leaves the current model untouched.
   */
  loadModel: guard(async (source, { name, train }) => {
    if (!staged) throw userError('There is no training text yet. Load the text the model was trained on first.');
    if (staged.error) throw userError(`The training text cannot be used: ${staged.error}`);
    const text = staged; // the text checked above, whatever is staged while the file is read
    const bytes = await bytesOf(source, name);
    let trainer;
    try {
      trainer = engine.loadTrainer(bytes, text.bytes, train, { resume: true });
    } catch (e) {
      if (isCrash(e)) throw e;
      throw userError(`Could not load “${name}”: ${e.message} The current model is unchanged.`);
    }
    return opened(trainer, text);
  }),

  /** The autosaved checkpoint, resumed on the text it was trained on. */
  restoreAutosave: guard(async () => {
    const saved = await readAutosave();
    if (!saved) throw userError('The autosaved model is no longer there (another tab may have replaced it).');
    const text = { bytes: saved.textBytes, name: saved.summary.textName, textId: saved.summary.textId };
    text.info = describe(text.bytes);
    const trainer = engine.loadTrainer(saved.checkpoint, text.bytes, {}, { resume: true });
    if (saved.best) {
      try {
        trainer.adoptBest(saved.best);
      } catch (e) {
        if (isCrash(e)) throw e; // a best that does not fit is left out: the latest weights are what matters
      }
    }
    staged = text;
    return { ...opened(trainer, text), preview: preview(text.bytes) };
  }),

  setAutosave: guard(async (enabled) => {
    autosaveEnabled = enabled;
  }),

  discardAutosave: guard(async () => {
    await autosaveChain;
    await discardAutosave();
  }),

  /**
   * Inside the network: the model's guesses and activations on a text (the reader's, or the start
   * of the validation text), and with { rank: true } its most interpretable units. Runs between
   * training chunks; the arrays are transferred. See inspect-worker.js.
   */
  inspect: guard(async (options) => {
    if (!session) throw userError('There is no model to look inside yet: press Train first.');
    return inspectTrainer(session.trainer, session.text, options);
  }),

  /** Another neuron's activations over the latest inspection ({ id, layer, unit, cellState }); null if stale. */
  inspectedNeuron: guard(async (request) => (session ? inspectedNeuron(session.trainer, request) : null)),

  /** Validation loss over the whole validation split (slow on a large text). */
  evaluateFull: guard(async () => {
    if (!session) throw userError('There is no model to evaluate yet: press Train first.');
    const t = session.trainer;
    return { iteration: t.iteration, valLoss: t.evaluate(), chars: t.valChars };
  }),
};

/** A loaded or restored model: paused, measured, and with a first sample to look at. */
function opened(trainer, text) {
  running = false;
  beginSession(trainer, text);
  reshard(); // a checkpoint's own batch size is known only now
  const valLoss = validate();
  periodicSample();
  setRunning(false);
  return { ...sessionInfo(), valLoss };
}

Comlink.expose(api);

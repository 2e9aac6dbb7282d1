// The model being trained (the session): making one on the staged text, its threads, its running
// state, and what the page is told about it.
import { LOOP, LIMITS, THREADS } from '../settings/defaults.js';
import { formatBytes } from '../shared/format.js';
import { REPORT } from '../shared/worker-protocol.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { inputError, isCrash, usageError } from './crashes.js';
import { describe, infoOf, textSummary } from './text.js';
import { runLoop, flushProgress } from './training-loop.js';
import { applyBudget, budgetOf } from './budget.js';

/**
 * Makes `trainer` the current model. The engine keeps its rollback point (the weights last known
 * good) and returns to it when training blows up.
 */
export function beginSession(trainer, text) {
  const old = state.session;
  state.session = {
    trainer,
    text,
    sampleSeed: 0,
    acc: newAccumulator(),
    lastReport: -Infinity, // the first chunk reports at once (the page times its first step)
    lastVal: performance.now(),
    lastSample: performance.now(),
    clockMs: 0, // the time this model has trained (budget.js)
  };
  applyBudget(state.session);
  old?.trainer.dispose();
  emit(REPORT.session, sessionInfo());
}

/** Shards for a run with these training settings: the page's Threads, at most the batch size. */
function threadsFor(train) {
  return Math.max(1, Math.min(state.threads, train.batchSize ?? state.engine.defaults.train.batchSize));
}

/** Threads asked for and in use (helper workers that stopped leave their shards to this one). */
export function threadInfo() {
  const { session, threads } = state;
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
export function reshard() {
  const s = state.session;
  const want = threadsFor(s.trainer.trainConfig);
  if (s.trainer.threads === want) return;
  const old = s.trainer;
  let valLoss = old.evaluate(LOOP.valSliceChars);
  if (!old.markGood(valLoss)) valLoss = old.rollBack().valLoss;
  let fresh;
  try {
    fresh = state.engine.loadTrainer(old.save({ checkpoint: true }), s.text.bytes, {}, { resume: true, threads: want });
    if (old.best) fresh.adoptBest(old.saveBest()); // the best weights go with it
  } catch (e) {
    fresh?.dispose();
    if (isCrash(e)) throw e;
    emit(REPORT.threads, { ...threadInfo(), message: `The model stays on ${old.threads} thread` +
      `${old.threads === 1 ? '' : 's'}: ${e.message}` });
    return;
  }
  fresh.markGood(valLoss);
  s.trainer = fresh;
  s.threadsStopped = false; // the new trainer starts its own helpers
  old.dispose();
  emit(REPORT.threads, { ...threadInfo(), message: null });
}

/** SessionInfo (see web/shared/worker-protocol.js). */
export function sessionInfo() {
  const { session } = state;
  const t = session.trainer;
  return { threads: threadInfo(), modelConfig: t.modelConfig, trainConfig: t.trainConfig, vocab: t.vocab, parameters: t.parameters,
    trainChars: t.trainChars, valChars: t.valChars, stepsPerEpoch: t.stepsPerEpoch, iteration: t.iteration,
    epoch: t.epoch, learningRate: t.learningRate, text: textSummary(session.text),
    valSliceChars: Math.min(LOOP.valSliceChars, t.valChars), best: t.best, budget: budgetOf(t) };
}

// parallelSteps and the four *Ms after it: where the steps trained with helpers spent their time
// (trainInParallel's timing), for the page's threads benchmark.
export function newAccumulator() {
  return { steps: 0, applied: 0, skipped: 0, chars: 0, lossSum: 0, trainMs: 0,
    parallelSteps: 0, sendMs: 0, ownShardMs: 0, waitMs: 0, finishMs: 0 };
}

export function setRunning(value) {
  if (!value) flushProgress();
  state.running = value && !!state.session;
  emit(REPORT.state, { running: state.running, hasModel: !!state.session,
    iteration: state.session?.trainer.iteration ?? 0 });
  if (state.running) runLoop();
}

/** CALL.start: a new model on the staged text; the current one stays if anything is wrong. */
export function startModel(model, train) {
  const { staged, engine } = state;
  if (!staged) throw usageError('There is no training text yet. Paste some text or load a file first.');
  if (staged.error) throw inputError(`${staged.error}`);
  const text = staged;
  const checkMemory = (vocabSize) => {
    const need = engine.estimateTrainingBytes(model, train, vocabSize);
    if (Number.isFinite(need) && need > LIMITS.memoryBudgetBytes) {
      throw inputError(`These settings would need about ${formatBytes(need)} of memory to train, more than the ` +
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
}

/** CALL.reset: drops the model. */
export function resetModel() {
  state.running = false;
  state.session?.trainer.dispose();
  state.session = null;
  setRunning(false);
}

/**
 * CALL.setThreads: each batch split into n shards, shards 2.. in helper workers (one WASM instance
 * each). Applies to the current model at once (it continues the same run) and to the next ones.
 */
export function setThreads(n) {
  if (!Number.isSafeInteger(n) || n < 1 || n > THREADS.max) {
    throw inputError(`Threads must be a whole number from 1 to ${THREADS.max}.`);
  }
  state.threads = n;
  if (state.session) reshard();
  return threadInfo();
}

// The training loop: chunks of a few tens of milliseconds, the page's messages read between
// chunks, and reports a few times a second (not per step): progress, validation on a slice, fresh
// samples, autosaves. A chunk that blows up sends training back to the weights last known good.
import { LOOP } from '../settings/defaults.js';
import { REPORT } from '../shared/worker-protocol.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { crashed } from './crashes.js';
import { isHeld, released, stepInParallel, nextTask } from './engine-turns.js';
import { newAccumulator, threadInfo } from './session.js';
import { periodicSample } from './samples.js';
import { autosaveIfDue } from './autosave.js';
import { budgetOf } from './budget.js';

let looping = false;

export async function runLoop() {
  if (looping) return;
  looping = true;
  try {
    while (state.running && state.session) {
      if (isHeld()) {
        await released();
        continue;
      }
      const s = state.session;
      const t0 = performance.now();
      s.trainer.setClock(s.clockMs / 1000); // the budget's clock: time running here (budget.js)
      let r;
      // A model's first chunk runs here alone (train() gives what trainInParallel() would): the
      // helpers start with the second, so their start-up leaves the CPU to the first step.
      if (s.trainer.threads > 1 && s.lastReport > -Infinity) {
        r = await stepInParallel(s.trainer.trainInParallel(LOOP.maxStepsPerChunk, { maxMs: LOOP.chunkMs }));
        if (r.threadError) s.threadsStopped = true; // its helpers will not start again
        const info = threadInfo();
        if (r.threadError || info.running !== s.runningThreads) {
          s.runningThreads = info.running; // helpers started, or stopped
          emit(REPORT.threads, { ...info, message: r.threadError });
        }
      } else {
        r = s.trainer.train(LOOP.maxStepsPerChunk, { maxMs: LOOP.chunkMs });
      }
      const chunk = { steps: r.steps, applied: r.applied, skipped: r.skipped, chars: r.chars, lossSum: r.lossSum,
        trainMs: performance.now() - t0, ...(r.timing ? { parallelSteps: r.steps, ...r.timing } : {}) };
      // The chunk's time counts even when it blew up: the engine's clock moved on in it, and a
      // clock set back would lift the rate above what the visitor set after the rollback.
      s.clockMs += chunk.trainMs;
      if (r.diverged) {
        diverged(r);
        break;
      }
      if (r.budgetSpent) {
        budgetSpent(r, chunk);
        break;
      }
      for (const k of Object.keys(chunk)) s.acc[k] += chunk[k];
      const now = performance.now();
      if (now - s.lastReport >= LOOP.reportEveryMs) report(now);
      if (now - s.lastVal >= (s.valIntervalMs ?? LOOP.valEveryMs)) validate();
      if (now - s.lastSample >= LOOP.sampleEveryMs) periodicSample();
      s.clockMs += performance.now() - now; // validation and samples are the visitor's time too
      await nextTask();
    }
  } catch (e) {
    crashed(e);
  } finally {
    looping = false;
  }
}

/** Progress not reported yet (the steps since the last report): Pause reports it, so the page shows the paused model's figures. */
export function flushProgress() {
  if (state.session?.acc.steps > 0) report(performance.now());
}

function report(now) {
  const s = state.session;
  const a = s.acc;
  const t = s.trainer;
  if (a.steps === 0) return;
  emit(REPORT.progress, { iteration: t.iteration, epoch: t.epoch, loss: a.applied ? a.lossSum / a.applied : NaN,
    steps: a.steps, skipped: a.skipped, msPerIter: a.trainMs / a.steps,
    charsPerSec: a.chars / (a.trainMs / 1000), learningRate: t.learningRate,
    stepMs: a.parallelSteps ? { send: a.sendMs / a.parallelSteps, ownShard: a.ownShardMs / a.parallelSteps,
      wait: a.waitMs / a.parallelSteps, finish: a.finishMs / a.parallelSteps } : null, budget: budgetOf(t) });
  s.acc = newAccumulator();
  s.lastReport = now;
}

/**
 * Validation loss on the slice. Weights whose loss is healthy become the engine's rollback point
 * and, now and then, the autosave; weights a ruinous step left behind become neither.
 */
export function validate() {
  const s = state.session;
  const t = s.trainer;
  const started = performance.now();
  const valLoss = t.evaluate(LOOP.valSliceChars);
  // A large model's slice takes long (a third of the time at every 6 s for an LSTM 2×512): the
  // next one waits until validating is at most LOOP.valMaxShare of the time.
  const valMs = performance.now() - started;
  s.valIntervalMs = Math.max(LOOP.valEveryMs, valMs / LOOP.valMaxShare);
  s.lastValLoss = valLoss;
  emit(REPORT.val, { iteration: t.iteration, valLoss, sliceChars: Math.min(LOOP.valSliceChars, t.valChars),
    valMs, nextInMs: s.valIntervalMs });
  t.observeValidation(valLoss); // until stopped: a plateau lowers the rate
  const good = t.markGood(valLoss);
  // The engine keeps the weights with the lowest validation loss beside the latest (overfitting).
  if (t.keepIfBest(valLoss)) emit(REPORT.best, { ...t.best });
  s.lastVal = performance.now();
  if (good) autosaveIfDue(s, valLoss, s.lastVal);
  return valLoss;
}

/** The budget's time is up: the last steps reported and measured, then paused (Resume after a longer budget goes on). */
function budgetSpent(r, chunk) {
  const s = state.session;
  for (const k of Object.keys(chunk)) s.acc[k] += chunk[k];
  report(performance.now());
  validate();
  state.running = false;
  emit(REPORT.budget, budgetOf(s.trainer));
  emit(REPORT.state, { running: false, hasModel: true, iteration: s.trainer.iteration });
}

/** A chunk blew up: stop, go back to the weights last known good, and tell the page. */
function diverged(r) {
  const s = state.session;
  const bad = { iteration: r.iteration, learningRate: r.learningRate, skipped: r.skipped, loss: r.loss };
  state.running = false;
  const back = s.trainer.rollBack();
  s.acc = newAccumulator();
  emit(REPORT.diverged, { ...bad, restoredIteration: back.iteration, restoredValLoss: back.valLoss,
    restoredLearningRate: back.learningRate, suggestedLearningRate: back.suggestedLearningRate });
  emit(REPORT.state, { running: false, hasModel: true, iteration: s.trainer.iteration });
}

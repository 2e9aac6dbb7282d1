// The worker's side of "Why it works" in the Inside the network card (CALL.why* in
// web/shared/worker-protocol.js): the figures of Karpathy, Johnson and Fei-Fei (2015) on the model
// being trained, through the engine's Analysis (engine.loadAnalysis; the math is in
// core/inspection/ngram.h, gates.h, reach.h). Each call is one small piece of work between training
// chunks: the reach curve comes a few positions per call, the page asking for the next piece.
//
// What is kept: the n-gram models counted on the session's text (per order, the last few; counting
// a 1 MB text takes a while), a snapshot of the weights (an Analysis of trainer.save(), made again
// when the page shows a newer inspection), the reach session of the strip, and the curve under way.
import * as Comlink from 'comlink';
import { LOOP } from '../settings/defaults.js';
import { inputError } from './crashes.js';

const KEPT_ORDERS = 3; // n-gram models kept per text (the reader flips between a few orders)
const REACH_CURVE_SAMPLES = 60; // positions the curve averages over (evenly spaced over the excerpt)

let ngrams = { text: null, byOrder: new Map() }; // order -> { analysis, valLoss, valPredictions, countMs }
let snapshot = null; // { trainer, iteration, analysis }: the weights the gates and reach read
let strip = null; // { snapshot, text, session (ReachSession), last }: the reach strip's positions
let curve = null; // { id, iteration, session, positions, next, sums, counts, ms }: the curve under way

/** The defaults of the figures: engine.analysisDefaults. */
export const whyDefaults = (engine) => ({ ...engine.analysisDefaults });

/**
 * An Analysis of the weights the card shows: the trainer's, at least as new as `iteration` (the
 * inspection on show), or, when the card shows the best weights kept (`best`), those. The
 * snapshot is made again when it is older or of the other weights.
 */
function weights(trainer, iteration, engine, best = false) {
  if (best && trainer.best) {
    const at = trainer.best.iteration;
    if (snapshot?.trainer === trainer && snapshot.best && snapshot.iteration === at) return snapshot;
    snapshot?.analysis.dispose();
    snapshot = { trainer, best: true, iteration: at, analysis: engine.loadAnalysis(trainer.saveBest()) };
    return snapshot;
  }
  // (A rollback or the best weights put back take the trainer's iteration below the snapshot's.)
  if (snapshot && !snapshot.best && snapshot.trainer === trainer && snapshot.iteration >= iteration &&
    snapshot.iteration <= trainer.iteration) return snapshot;
  snapshot?.analysis.dispose();
  snapshot = { trainer, best: false, iteration: trainer.iteration, analysis: engine.loadAnalysis(trainer.save()) };
  return snapshot;
}

/**
 * The n-gram of `order` counted on the session's training text (as the trainer splits it), its
 * p(actual) over `text` and where the network's advantage over it falls, from the inspection's
 * pNet: { order, valLoss, valPredictions, netValLoss (the network's on the validation slice, as
 * training measures it), pNgram (transferred), advantage, countMs, cached }.
 */
export function whyNgram(session, engine, { text, order, pNet }) {
  if (ngrams.text !== session.text) {
    for (const kept of ngrams.byOrder.values()) kept.analysis.dispose();
    ngrams = { text: session.text, byOrder: new Map() };
  }
  let kept = ngrams.byOrder.get(order);
  const cached = !!kept;
  if (!kept) {
    const analysis = engine.loadAnalysis(session.trainer.save());
    const t0 = performance.now();
    try {
      const counted = analysis.countNgram(session.text.bytes, { order, valFraction: session.trainer.trainConfig.valFraction });
      kept = { analysis, ...counted, countMs: performance.now() - t0 };
    } catch (e) {
      analysis.dispose();
      throw e;
    }
    ngrams.byOrder.set(order, kept);
    if (ngrams.byOrder.size > KEPT_ORDERS) {
      const [oldest, gone] = ngrams.byOrder.entries().next().value;
      gone.analysis.dispose();
      ngrams.byOrder.delete(oldest);
    }
  } else {
    ngrams.byOrder.delete(order); // the most recently used goes last
    ngrams.byOrder.set(order, kept);
  }
  const pNgram = kept.analysis.ngramPActual(text);
  const advantage = kept.analysis.advantage(text, pNet, pNgram);
  // The network's latest validation loss; a model that has not been validated yet is, now.
  session.lastValLoss ??= session.trainer.evaluate(LOOP.valSliceChars);
  return Comlink.transfer({ order, valLoss: kept.valLoss, valPredictions: kept.valPredictions,
    netValLoss: session.lastValLoss, pNgram, advantage,
    countMs: kept.countMs, cached }, [pNgram.buffer]);
}

/**
 * Gate saturation of the weights (at least those of `iteration`) over `text`: the engine's
 * GateSaturation (left and right transferred) + { iteration, ms }; { gates: 0 } for an RNN.
 */
export function whyGates(session, engine, { text, iteration, best }) {
  const { trainer } = session;
  if (trainer.modelConfig.cell === 'rnn') return { gates: 0, cell: 'rnn', iteration: trainer.iteration };
  const t0 = performance.now();
  const w = weights(trainer, iteration, engine, best);
  const g = w.analysis.gateSaturation(text);
  return Comlink.transfer({ ...g, iteration: w.iteration, ms: performance.now() - t0 }, [g.left.buffer, g.right.buffer]);
}

/**
 * The reach strip of character `position` of `text`: { position, sizes (Float32Array
 * [min(D, position)], nearest first; transferred), iteration, ms }. One backward pass.
 */
export function whyReachAt(session, engine, { text, position, maxDistance, iteration, best }) {
  if (position < 1) return { position, sizes: new Float32Array(0), iteration: session.trainer.iteration, ms: 0 };
  const t0 = performance.now();
  const w = weights(session.trainer, iteration, engine, best);
  // The engine's probe moves forward only: an earlier position starts a new one.
  if (!strip || strip.snapshot !== w || strip.text !== text || strip.maxDistance !== maxDistance || position < strip.last) {
    strip?.session.dispose();
    strip = { snapshot: w, text, maxDistance, session: w.analysis.reachSession(text, { maxDistance }), last: 0 };
  }
  if (position >= strip.session.chars) throw inputError(`The text has ${strip.session.chars} characters: position ${position} is past its end.`);
  const sizes = strip.session.sizesAt(position);
  strip.last = position;
  return Comlink.transfer({ position, sizes, iteration: w.iteration, ms: performance.now() - t0 }, [sizes.buffer]);
}

/**
 * The next piece of the reach curve `id` over `text` (a new id starts it on the current weights):
 * positions for about `budgetMs`, then { id, done, measured, total, byDistance (Float64Array
 * [D], the mean so far), iteration, pieceMs, positionMs }.
 */
export function whyReachCurve(session, engine, { id, text, maxDistance, budgetMs, iteration, best }) {
  if (!curve || curve.id !== id) {
    curve?.session.dispose();
    const w = weights(session.trainer, iteration, engine, best);
    const reachSession = w.analysis.reachSession(text, { maxDistance });
    const positions = w.analysis.reachPositions(reachSession.chars, { maxDistance, samples: REACH_CURVE_SAMPLES });
    curve = { id, iteration: w.iteration, session: reachSession, positions, next: 0,
      sums: new Float64Array(maxDistance), counts: new Float64Array(maxDistance), ms: 0 };
  }
  const c = curve;
  const t0 = performance.now();
  do {
    c.session.sizesAt(c.positions[c.next++]).forEach((x, k) => {
      c.sums[k] += x;
      c.counts[k]++;
    });
  } while (c.next < c.positions.length && performance.now() - t0 < budgetMs);
  const pieceMs = performance.now() - t0;
  c.ms += pieceMs;
  const done = c.next >= c.positions.length;
  const byDistance = c.sums.map((s, k) => (c.counts[k] ? s / c.counts[k] : NaN));
  if (done) {
    c.session.dispose();
    curve = null;
  }
  return Comlink.transfer({ id, done, measured: c.next, total: c.positions.length, byDistance, iteration: c.iteration,
    pieceMs, positionMs: c.ms / c.next }, [byDistance.buffer]);
}

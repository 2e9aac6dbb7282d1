// When to tell the reader the model is overfitting: validation loss has risen for a while since
// its best while training loss went on falling. Pure page logic about when to show a message (the
// engine keeps the best weights; this only reads the losses the page already has), so it lives
// here, beside the page, with its unit tests in tests/node/overfit.test.mjs.

/** Validations since the best one before it counts as "for a while" (6 s apart: about 30 s). */
export const OVERFIT_PATIENCE = 5;
/** How far above the best validation loss the latest must be (nats/char): not noise, a trend. */
export const OVERFIT_MARGIN = 0.02;

/**
 * points: [{ iteration, valLoss, trainLoss }] oldest first, one per validation (trainLoss: the
 * smoothed training loss then). Returns null, or { bestIteration, bestValLoss, valLoss,
 * trainLossBefore, trainLoss, validationsSince } when the latest `patience` validations all came
 * after the best, the latest is at least `margin` above it, and over those validations validation
 * loss rose while training loss fell (trainLossBefore: at the start of them). Comparing training
 * losses within the window, not with the best's, keeps a stale figure out: after the best weights
 * are put back, the training loss shown at that moment is still the overfitted one.
 */
export function overfitting(points, { patience = OVERFIT_PATIENCE, margin = OVERFIT_MARGIN } = {}) {
  const usable = points.filter((p) => Number.isFinite(p.valLoss) && Number.isFinite(p.trainLoss));
  if (usable.length < patience + 1) return null;
  let best = 0;
  for (let i = 1; i < usable.length; i++) if (usable[i].valLoss <= usable[best].valLoss) best = i;
  const since = usable.length - 1 - best;
  if (since < patience) return null;
  const last = usable[usable.length - 1];
  const before = usable[usable.length - 1 - patience];
  const rising = last.valLoss >= usable[best].valLoss + margin && last.valLoss > before.valLoss;
  const trainFalling = last.trainLoss < before.trainLoss;
  if (!rising || !trainFalling) return null;
  return { bestIteration: usable[best].iteration, bestValLoss: usable[best].valLoss, valLoss: last.valLoss,
    trainLossBefore: before.trainLoss, trainLoss: last.trainLoss, validationsSince: since };
}

/** A dropout to suggest against overfitting: 0.2 more, at most 0.5 (0.95 is the engine's limit). */
export function raisedDropout(current) {
  return Math.min(0.5, Math.round((current + 0.2) * 100) / 100);
}

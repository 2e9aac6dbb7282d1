// The page's rule for the overfitting notice (web/views/overfit.js): it fires when validation loss has
// risen for a while since its best while training loss fell, and not for noise, a plateau, a
// validation loss that is still falling, or a training loss that rises too.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { overfitting, raisedDropout, OVERFIT_PATIENCE } from '../../web/views/overfit.js';

// One point per validation: iteration 100, 200, ...
const run = (vals, trains) => vals.map((valLoss, i) => ({ iteration: (i + 1) * 100, valLoss, trainLoss: trains[i] }));
const falling = (n, from = 2, step = 0.1) => Array.from({ length: n }, (_, i) => from - i * step);

test('validation loss rising for a while as training loss falls is overfitting', () => {
  const r = overfitting(run([2.0, 1.8, 1.7, 1.72, 1.75, 1.78, 1.8, 1.83], falling(8)));
  assert.deepEqual(r, { bestIteration: 300, bestValLoss: 1.7, valLoss: 1.83, trainLossBefore: falling(8)[2],
    trainLoss: falling(8)[7], validationsSince: 5 });
});

test('not before the patience is spent: one validation fewer says nothing', () => {
  const vals = [2.0, 1.8, 1.7, 1.72, 1.75, 1.78, 1.8, 1.83];
  assert.ok(overfitting(run(vals, falling(8))));
  assert.equal(overfitting(run(vals.slice(0, 7), falling(7))), null);
  assert.equal(overfitting(run(vals, falling(8)), { patience: OVERFIT_PATIENCE + 1 }), null);
});

test('a falling validation loss, a plateau within the margin, or noise is not overfitting', () => {
  assert.equal(overfitting(run(falling(10, 2, 0.05), falling(10))), null);
  assert.equal(overfitting(run([1.7, 1.705, 1.71, 1.708, 1.712, 1.709, 1.711], falling(7))), null);
  // A new best at the end resets the count.
  assert.equal(overfitting(run([2.0, 1.7, 1.8, 1.85, 1.9, 1.95, 2.0, 1.6], falling(8))), null);
});

test('when training loss rises too, it is not overfitting (a learning rate too high, say)', () => {
  const trains = [2.0, 1.9, 1.8, 1.85, 1.9, 1.95, 2.0, 2.05];
  assert.equal(overfitting(run([2.0, 1.8, 1.7, 1.72, 1.75, 1.78, 1.8, 1.83], trains)), null);
});

test('training loss is compared within the window: a stale figure at the best does not count', () => {
  // The best weights were put back at the 3rd validation: the training loss shown then (0.2) is
  // the overfitted one; from there it jumps up and falls again while validation loss rises.
  const vals = [2.0, 1.8, 1.7, 1.72, 1.75, 1.78, 1.8, 1.83, 1.85];
  const trains = [0.3, 0.25, 0.2, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7];
  assert.equal(overfitting(run(vals.slice(0, 8), trains.slice(0, 8))), null, 'the window starts at the stale figure');
  assert.equal(overfitting(run(vals, trains)).trainLossBefore, 1.2);
});

test('points without a loss (NaN: no validation text) are left out', () => {
  assert.equal(overfitting(run(Array(10).fill(NaN), falling(10))), null);
  const vals = [2.0, NaN, 1.8, 1.7, 1.72, 1.75, 1.78, 1.8, 1.83];
  assert.equal(overfitting(run(vals, falling(9))).bestValLoss, 1.7);
});

test('the dropout offered is 0.2 higher, at most 0.5', () => {
  assert.equal(raisedDropout(0), 0.2);
  assert.equal(raisedDropout(0.1), 0.3);
  assert.equal(raisedDropout(0.45), 0.5);
  assert.equal(raisedDropout(0.7), 0.5);
});

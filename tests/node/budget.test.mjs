// trainFor(): the learning rate follows a time budget (core/training/schedule.h) in the WASM
// engine as natively: half a cosine to the floor as the budget ends, no steps after it (in
// one thread and with helper workers), a change of budget going on with the same model, and a
// checkpoint that carries the schedule. The clock is simulated (setClock), not waited for.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngine } from './support.mjs';

const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(60);
const MODEL = { cell: 'gru', layers: 1, hiddenSize: 24, embedSize: 8, dropout: 0 };
const TRAIN = { batchSize: 4, seqLen: 16, optimizer: 'adam', learningRate: 4e-3, lrDecay: 0.5, lrDecayEvery: 1, seed: 3 };

test('the rate follows a 3-minute budget and train() stops when it is up', async () => {
  const { engine } = await loadEngine();
  const t = engine.createTrainer(text, MODEL, TRAIN);
  try {
    t.trainFor(3);
    assert.deepEqual({ ...t.budget, peakLearningRate: Math.round(t.budget.peakLearningRate * 1e6) / 1e6 },
      { minutes: 3, elapsedMinutes: 0, leftMinutes: 3, spent: false, peakLearningRate: 0.004 });
    assert.ok(Math.abs(t.learningRate - 4e-3) < 1e-9, `the peak at the start: ${t.learningRate}`);
    const rates = [];
    for (let s = 0; s <= 180; s += 18) {
      t.setClock(s);
      rates.push(t.learningRate);
      const r = t.train(2);
      if (s < 180) assert.equal(r.steps, 2, `steps at ${s} s`);
    }
    const peakAt = rates.indexOf(Math.max(...rates));
    assert.equal(peakAt, 0, `the peak first: ${rates}`);
    for (let i = peakAt + 1; i < rates.length; i++) assert.ok(rates[i] <= rates[i - 1] + 1e-12, `falls: ${rates}`);
    assert.ok(Math.abs(rates.at(-1) - 4e-3 * 0.05) < 1e-9, `the floor at the end: ${rates.at(-1)}`);
    t.setClock(180);
    const after = t.train(5);
    assert.equal(after.steps, 0, 'no steps once the budget is up');
    assert.equal(after.budgetSpent, true);
    assert.equal(after.diverged, false, 'no steps is not a blow-up');
    // An hour instead, from minute 3: the same model goes on, higher on the hour's curve.
    const iteration = t.iteration;
    t.trainFor(60);
    assert.equal(t.iteration, iteration);
    assert.ok(t.learningRate > rates.at(-1) * 5, `${t.learningRate}`);
    assert.equal(t.train(2).steps, 2);
    assert.throws(() => t.trainFor(-1), (e) => e.kind === 'argument' && /minutes/.test(e.message));
    assert.throws(() => t.trainFor('10'), (e) => e.kind === 'argument');
  } finally {
    t.dispose();
  }
});

test('with helper workers too, no step is taken after the budget', async () => {
  const { engine } = await loadEngine();
  const t = engine.createTrainer(text, MODEL, TRAIN, { threads: 2 });
  try {
    t.trainFor(1);
    await t.helpersReady();
    assert.equal((await t.trainInParallel(3)).steps, 3);
    t.setClock(60);
    const r = await t.trainInParallel(3);
    assert.equal(r.steps, 0);
    assert.equal(r.budgetSpent, true);
  } finally {
    t.dispose();
  }
});

test('until stopped: the rate stays at its peak while validation improves, and a checkpoint carries the schedule', async () => {
  const { engine } = await loadEngine();
  const t = engine.createTrainer(text, MODEL, { ...TRAIN, valFraction: 0.1 });
  try {
    t.trainFor(Infinity);
    assert.equal(t.budget.minutes, Infinity);
    assert.equal(t.budget.leftMinutes, null);
    t.setClock(30);
    assert.equal(t.observeValidation(2.0), false);
    t.setClock(100);
    assert.equal(t.observeValidation(1.9), false, 'improving');
    assert.ok(Math.abs(t.learningRate - 4e-3) < 1e-9);
    t.setClock(300);
    assert.equal(t.observeValidation(1.95), true, 'a plateau of 200 s halves the rate');
    assert.ok(Math.abs(t.learningRate - 2e-3) < 1e-9);
    t.train(3);
    const resumed = engine.loadTrainer(t.save({ checkpoint: true }), text);
    try {
      assert.equal(resumed.budget.minutes, Infinity);
      assert.equal(resumed.budget.elapsedMinutes, t.budget.elapsedMinutes);
      assert.equal(resumed.learningRate, t.learningRate);
    } finally {
      resumed.dispose();
    }
  } finally {
    t.dispose();
  }
});

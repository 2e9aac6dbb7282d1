// Per-layer hidden sizes through the JS API: createTrainer takes hiddenSizes, the model reports
// them, trains (the loss falls), saves and loads them (as a model and as a checkpoint that resumes
// exactly), looks inside each layer with its own units, and refuses sizes that do not fit with
// a CharRnnError saying what to give. (Native and WASM agreeing on a per-layer run:
// cross_engine_losses.test.mjs; helper workers: wasm_threads.test.mjs.)
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadEngine, sentences } from './support.mjs';

let api, engine;
before(async () => { ({ api, engine } = await loadEngine()); });

const MODEL = { cell: 'gru', layers: 2, hiddenSizes: [24, 12], embedSize: 8 };
const TRAIN = { batchSize: 4, seqLen: 16, optimizer: 'adam', learningRate: 1e-2, seed: 3 };

function assertCharRnnError(fn, pattern) {
  assert.throws(fn, (e) => e instanceof api.CharRnnError && pattern.test(e.message), String(pattern));
}

test('a per-layer model trains, and saves and loads its sizes', () => {
  const trainer = engine.createTrainer(sentences, MODEL, TRAIN);
  try {
    assert.deepEqual(trainer.modelConfig.hiddenSizes, [24, 12]);
    assert.equal(trainer.modelConfig.hiddenSize, 24);
    const first = trainer.train(5).loss;
    const later = trainer.train(60).loss;
    assert.ok(later < first - 0.5, `the loss falls: ${first} -> ${later}`);

    const model = engine.loadModel(trainer.save());
    assert.deepEqual(model.config.hiddenSizes, [24, 12]);
    assert.equal(model.sample({ seed: 4, length: 50 }), trainer.sample({ seed: 4, length: 50 }));
    model.dispose();

    const checkpoint = trainer.save({ checkpoint: true });
    const resumed = engine.loadTrainer(checkpoint, sentences, {}, { resume: true });
    try {
      assert.deepEqual(resumed.modelConfig.hiddenSizes, [24, 12]);
      for (let i = 0; i < 3; i++) assert.equal(resumed.train(1).loss, trainer.train(1).loss, `step ${i}`);
    } finally {
      resumed.dispose();
    }
  } finally {
    trainer.dispose();
  }
});

test('inspection gives each layer its own units', () => {
  const trainer = engine.createTrainer(sentences, { ...MODEL, cell: 'lstm', hiddenSizes: [10, 18] }, TRAIN);
  try {
    trainer.train(5);
    const r = trainer.inspect('A journey of a thousand');
    assert.equal(r.hidden, 18);
    assert.deepEqual(r.layerHidden, [10, 18]);
    for (let i = 0; i < r.chars; i++) {
      for (let u = 10; u < 18; u++) assert.equal(r.h[i * 18 + u], 0, 'layer 1 has no unit past its 10');
    }
    for (const property of trainer.rankNeurons(50)) {
      for (const n of property.best) assert.ok(n.unit < r.layerHidden[n.layer], `${property.property}: ${n.layer}:${n.unit}`);
    }
  } finally {
    trainer.dispose();
  }
});

test('equal sizes are a uniform model', () => {
  const trainer = engine.createTrainer(sentences, { ...MODEL, hiddenSizes: [16, 16] }, TRAIN);
  assert.deepEqual(trainer.modelConfig.hiddenSizes, []);
  assert.equal(trainer.modelConfig.hiddenSize, 16);
  trainer.dispose();
});

test('sizes that do not fit are refused with what to give', () => {
  assertCharRnnError(() => engine.createTrainer(sentences, { ...MODEL, layers: 3 }, TRAIN),
    /There are 2 hidden sizes for 3 layers: give one hidden size for every layer, or one per layer/);
  assertCharRnnError(() => engine.createTrainer(sentences, { ...MODEL, hiddenSizes: [24, 1.5] }, TRAIN),
    /hidden size of layer 2 must be a whole number/);
  assertCharRnnError(() => engine.createTrainer(sentences, { ...MODEL, hiddenSizes: [0, 12] }, TRAIN),
    /hidden size of layer 1 must be a whole number between 1 and/);
  assertCharRnnError(() => engine.createTrainer(sentences, { ...MODEL, hiddenSizes: '24,12' }, TRAIN),
    /hiddenSizes must be an array of whole numbers, one per layer/);
  assertCharRnnError(() => engine.estimateTrainingBytes({ ...MODEL, hiddenSizes: [24, 12, 6] }, TRAIN, 50),
    /There are 3 hidden sizes for 2 layers/);
});

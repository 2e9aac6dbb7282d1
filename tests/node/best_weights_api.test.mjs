// The best weights and the iteration count through the JS API: keepIfBest keeps only a lower
// loss, restoreBest puts those weights back (the same validation loss), saveBest writes them with
// their iteration and loss (float16 about half the size), adoptBest takes them back into a
// resumed trainer; a model file loaded to train goes on counting from its iteration; setDropout
// acts while training and is checked.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadEngine, sentences } from './support.mjs';

let api, engine;
before(async () => { ({ api, engine } = await loadEngine()); });

const small = { cell: 'gru', hiddenSize: 24, embedSize: 8, layers: 1 };
const smallTrain = { batchSize: 4, seqLen: 16, seed: 3, learningRate: 0.01 };

test('the best weights are kept beside the latest, put back, saved and adopted', () => {
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  assert.equal(trainer.best, null);
  trainer.train(5);
  const v5 = trainer.evaluate();
  assert.equal(trainer.keepIfBest(v5), true);
  assert.deepEqual(trainer.best, { iteration: 5, valLoss: v5 });
  trainer.train(5);
  assert.equal(trainer.keepIfBest(v5 + 1), false, 'a higher loss is not kept');
  assert.equal(trainer.keepIfBest(NaN), false);
  assert.deepEqual(trainer.best, { iteration: 5, valLoss: v5 });

  const f32 = trainer.saveBest();
  const f16 = trainer.saveBest({ f16: true });
  assert.ok(f16.length < f32.length * 0.6, `${f16.length} vs ${f32.length}`);
  const model = engine.loadModel(f32);
  assert.equal(model.sample({ prime: 'The', length: 40, seed: 1 }).length, 40);
  model.dispose();

  // A checkpoint of the latest weights resumes; the best comes back from its own file.
  const checkpoint = trainer.save({ checkpoint: true });
  trainer.restoreBest();
  assert.equal(trainer.evaluate(), v5, 'the best weights measure exactly as they did');
  assert.equal(trainer.iteration, 10, 'the count goes on');
  const resumed = engine.loadTrainer(checkpoint, sentences);
  assert.equal(resumed.iteration, 10);
  assert.equal(resumed.best, null);
  resumed.adoptBest(f32);
  assert.deepEqual(resumed.best, { iteration: 5, valLoss: v5 });
  resumed.restoreBest();
  assert.equal(resumed.evaluate(), v5);
  resumed.dispose();
  trainer.dispose();
});

test('a model file keeps its iteration: loaded to train, it counts on from there', () => {
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  trainer.train(7);
  const file = trainer.save();
  const again = engine.loadTrainer(file, sentences, smallTrain);
  assert.equal(again.iteration, 7);
  assert.equal(again.train(2).iteration, 9);
  again.dispose();
  trainer.dispose();
});

test('errors: no best yet, another model\'s best, a dropout out of range', () => {
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  assert.throws(() => trainer.restoreBest(), (e) => e instanceof api.CharRnnError && /first validation/.test(e.message));
  assert.throws(() => trainer.saveBest(), api.CharRnnError);
  const other = engine.createTrainer(sentences, { ...small, hiddenSize: 16 }, smallTrain);
  other.keepIfBest(3);
  assert.throws(() => trainer.adoptBest(other.saveBest()), /belong to another model/);
  assert.throws(() => trainer.adoptBest(trainer.save()), /validation loss/);
  assert.throws(() => trainer.setDropout(1.5), /between 0 and 0.95/);
  trainer.setDropout(0.25);
  assert.equal(Math.fround(trainer.modelConfig.dropout), Math.fround(0.25));
  assert.equal(trainer.train(3).applied, 3);
  other.dispose();
  trainer.dispose();
});

test('dropout raised while helper workers train: they take it up (the same losses as one thread\'s shards)', async () => {
  const text = sentences.repeat(4);
  const model = { cell: 'lstm', hiddenSize: 24, embedSize: 8, layers: 2, dropout: 0 };
  const train = { batchSize: 4, seqLen: 16, seed: 9 };
  const here = engine.createTrainer(text, model, train, { threads: 2 });
  const helped = engine.createTrainer(text, model, train, { threads: 2 });
  try {
    await helped.helpersReady();
    const a = [], b = [];
    for (let i = 0; i < 2; i++) a.push(here.train(1).loss);
    for (let i = 0; i < 2; i++) b.push((await helped.trainInParallel(1)).loss);
    here.setDropout(0.4);
    helped.setDropout(0.4);
    for (let i = 0; i < 3; i++) a.push(here.train(1).loss);
    await helped.helpersReady(); // they start again with the new configuration
    for (let i = 0; i < 3; i++) b.push((await helped.trainInParallel(1)).loss);
    assert.equal(helped.helperThreads, 1, 'the helpers run again');
    assert.deepEqual(b, a);
  } finally {
    here.dispose();
    helped.dispose();
  }
});

// Bad input through the JS API: each call throws a CharRnnError carrying the core's message, and
// nothing is left broken: the trainer that existed before still trains, and new ones can be made.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadEngine, sentences } from './cli_helpers.mjs';

let api, engine;
before(async () => { ({ api, engine } = await loadEngine()); });

const small = { hiddenSize: 16, embedSize: 8, layers: 1 };
const smallTrain = { batchSize: 4, seqLen: 16, seed: 1 };

function assertCharRnnError(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof api.CharRnnError, `expected a CharRnnError, got ${e?.constructor?.name}: ${e?.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('bad inputs throw CharRnnError with the core message, and the trainer still works', () => {
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  const first = trainer.train(2);
  assert.equal(first.iteration, 2);

  assertCharRnnError(() => engine.createTrainer('', small, smallTrain), /text is empty/);
  const invalid = new Uint8Array([...new TextEncoder().encode('valid text'), 0xff, 0x41]);
  assertCharRnnError(() => engine.createTrainer(invalid, small, smallTrain), /not valid UTF-8.*byte offset 10/);
  const corrupt = new Uint8Array(2000).map((_, i) => (i * 7919) % 251);
  assertCharRnnError(() => engine.loadModel(corrupt), /not a valid model file/);
  assertCharRnnError(() => engine.loadTrainer(corrupt, sentences), /not a valid model file/);
  const saved = trainer.save();
  assertCharRnnError(() => engine.loadModel(saved.subarray(0, saved.length - 100)), /not a valid model file/);
  assertCharRnnError(() => trainer.setText(invalid), /not valid UTF-8/);
  assertCharRnnError(() => engine.createTrainer(sentences, { ...small, hiddenSize: 0 }, smallTrain), /hidden size/);
  assertCharRnnError(() => trainer.sample({ prime: 'Zebra€', length: 5 }), /not in the model's vocabulary/);

  // The trainer continues where it was: the failed setText changed nothing.
  const next = trainer.train(3);
  assert.equal(next.iteration, 5);
  assert.ok(Number.isFinite(next.loss) && next.loss > 0, `loss ${next.loss}`);
  assert.equal(trainer.sample({ length: 20, seed: 4 }).length, 20);
  // And the engine still makes new trainers and loads good models.
  const another = engine.createTrainer(sentences, small, smallTrain);
  assert.ok(Number.isFinite(another.train(1).loss));
  const loaded = engine.loadModel(saved);
  assert.equal(loaded.parameters, trainer.parameters);
  loaded.dispose();
  another.dispose();
  trainer.dispose();
});

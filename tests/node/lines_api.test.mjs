// The lines mode through the JS API: a trainer with `lines: true` memorises a list and
// sampleLines() gives whole lines marked fromText by the engine; a saved model knows its mode
// (Model.lines) and marks against a text it is given; bad arguments are refused in words; train() and
// trainInParallel() count the characters predicted (a short line's padding is not one).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngine } from './support.mjs';

const names = 'Anna\nBoris\nCarla\nDmitri\nElena\nFiona\nGustav\nHelga\nIgor\nJana\n';
const list = names.trim().split('\n');

test('lines mode memorises a list; sampled lines are whole training lines, marked so', async () => {
  const { engine } = await loadEngine();
  assert.equal(engine.defaults.train.lines, false, 'one stream unless asked');
  const trainer = engine.createTrainer(names, { cell: 'lstm', layers: 1, hiddenSize: 48, embedSize: 8 },
    { lines: true, valFraction: 0, batchSize: 10, seqLen: 8, optimizer: 'adam', learningRate: 0.02, seed: 7 });
  assert.equal(trainer.trainConfig.lines, true);
  assert.ok(Number.isNaN(trainer.evaluate()), 'nothing held out');
  // The least loss possible: each line's first letter is a free choice of 10 (10 ln 10 nats over 59 predictions).
  const floor = (10 * Math.log(10)) / 59;
  let loss = Infinity;
  for (let round = 0; round < 40 && !(loss < floor + 0.05); round++) loss = trainer.train(25).loss;
  assert.ok(loss < floor + 0.05, `training loss ${loss}, floor ${floor}`);

  const lines = trainer.sampleLines({ count: 20, temperature: 0.5, seed: 3 });
  assert.equal(lines.length, 20);
  for (const l of lines) {
    assert.equal(typeof l.text, 'string');
    assert.ok(!l.text.includes('\n'));
    assert.equal(l.fromText, list.includes(l.text), `'${l.text}' marked ${l.fromText}`);
  }
  assert.ok(lines.filter((l) => l.fromText).length >= 18, JSON.stringify(lines));
  assert.deepEqual(trainer.sampleLines({ count: 1, argmax: true, prime: 'Fi' }).map((l) => l.text), ['Fiona']);

  // The model file remembers the mode; a loaded model marks against the text it is given.
  const model = engine.loadModel(trainer.save());
  assert.equal(model.lines, true);
  const marked = model.sampleLines({ count: 5, temperature: 0.5, seed: 3, text: names });
  assert.deepEqual(marked.map((l) => l.text), lines.slice(0, 5).map((l) => l.text), 'same seed, same lines');
  assert.ok(marked.some((l) => l.fromText));
  assert.ok(model.sampleLines({ count: 5, seed: 3 }).every((l) => !l.fromText), 'no text: nothing is marked');
  model.dispose();

  // A plain model continued on the same text keeps the lines mode (its own), not the settings' default.
  const again = engine.loadTrainer(trainer.save(), names, {});
  assert.equal(again.trainConfig.lines, true);
  again.dispose();
  trainer.dispose();
});

test('train() and trainInParallel() count the characters predicted, not the padding of short lines', async () => {
  const { engine } = await loadEngine();
  // Ten lines of at most 6 letters, 10 streams of 8: one step is the whole list, 49 letters and
  // 10 line breaks, in 80 positions.
  const settings = { lines: true, valFraction: 0, batchSize: 10, seqLen: 8, seed: 7 };
  for (const threads of [1, 2]) {
    const trainer = engine.createTrainer(names, { cell: 'gru', layers: 1, hiddenSize: 16, embedSize: 8 }, settings,
      { threads });
    assert.equal(trainer.threads, threads);
    assert.equal(trainer.train(2).chars, 2 * 59, `train(), ${threads} thread(s)`);
    assert.equal((await trainer.trainInParallel(3)).chars, 3 * 59, `trainInParallel(), ${threads} thread(s)`);
    trainer.dispose();
  }
  const stream = engine.createTrainer(names, { cell: 'gru', layers: 1, hiddenSize: 16, embedSize: 8 },
    { batchSize: 2, seqLen: 5, seed: 7 });
  assert.equal(stream.train(3).chars, 3 * 2 * 5, 'one stream of text: every position is a character');
  stream.dispose();
});

test('sampleLines refuses bad arguments before sampling', async () => {
  const { engine } = await loadEngine();
  const trainer = engine.createTrainer(names, { hiddenSize: 8, layers: 1 }, { lines: true, batchSize: 2, seqLen: 4 });
  assert.throws(() => trainer.sampleLines({ count: 0 }), /number of lines must be a whole number between 1/);
  assert.throws(() => trainer.sampleLines({ maxChars: 1.5 }), /line length cap/);
  assert.throws(() => trainer.sampleLines({ prime: 'A\nB' }), /cannot hold a line break/);
  assert.throws(() => trainer.sampleLines({ prime: 'Zz' }), /priming text/);
  assert.throws(() => engine.createTrainer('one line only', {}, { lines: true }), /single line/);
  trainer.dispose();
});

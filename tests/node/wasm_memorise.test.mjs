// The WASM engine learns: a small LSTM memorises a few sentences (training loss below 0.01 nats
// per character), and greedy sampling primed with the start of the text reproduces the rest.
// The text starts with a line break because the sampler reads one before its priming text: the
// first stream then sees exactly that context from a zero state. One stream and one
// sequence spanning the whole text, so every character is trained from the state the sampler
// reaches at it (an epoch drops any remainder shorter than a sequence).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngine, sentences } from './support.mjs';

test('WASM training memorises sentences and argmax sampling reproduces them', async () => {
  const { engine } = await loadEngine();
  const text = `\n${sentences}`;
  const trainer = engine.createTrainer(text, { cell: 'lstm', layers: 1, hiddenSize: 96, embedSize: 16 },
    { batchSize: 1, seqLen: text.length - 1, optimizer: 'adam', learningRate: 1e-2, valFraction: 0, seed: 3 });
  let loss = Infinity;
  for (let round = 0; round < 120 && !(loss < 0.01); round++) loss = trainer.train(25).loss;
  assert.ok(loss < 0.01, `training loss ${loss} should fall below 0.01`);

  const prime = 'The quick';
  const rest = text.slice(1 + prime.length);
  const sample = trainer.sample({ prime, length: rest.length, argmax: true });
  assert.equal(sample, rest);
  trainer.dispose();
});

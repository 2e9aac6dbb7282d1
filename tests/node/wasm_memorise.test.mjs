// The WASM engine learns: a small LSTM memorises a few sentences (training loss below 0.05 nats
// per character), and greedy sampling primed with the start of the text reproduces the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngine, sentences } from './cli_helpers.mjs';

test('WASM training memorises sentences and argmax sampling reproduces them', async () => {
  const { engine } = await loadEngine();
  const trainer = engine.createTrainer(sentences, { cell: 'lstm', layers: 1, hiddenSize: 96, embedSize: 16 },
    { batchSize: 8, seqLen: 32, optimizer: 'adam', learningRate: 1e-2, valFraction: 0, seed: 3 });
  let loss = Infinity;
  for (let round = 0; round < 60 && !(loss < 0.05); round++) loss = trainer.train(25).loss;
  assert.ok(loss < 0.05, `training loss ${loss} should fall below 0.05`);

  const prime = 'The quick';
  const rest = sentences.slice(prime.length);
  const sample = trainer.sample({ prime, length: rest.length, argmax: true });
  assert.equal(sample, rest);
  trainer.dispose();
});

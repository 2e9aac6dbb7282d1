// Through the WASM API: looking inside a model gives typed arrays of the documented shapes (and
// the same numbers as the native CLI), and trained weights survive repeated blow-ups.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { findCli, loadEngine, tempDir, writeText } from './support.mjs';

let engine;
before(async () => { ({ engine } = await loadEngine()); });
const dir = tempDir('inspect');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const text = fs.readFileSync(new URL('../../examples/corpora/tinyshakespeare.txt', import.meta.url), 'utf8').slice(0, 20000);

for (const cell of ['lstm', 'gru', 'rnn']) {
  test(`${cell}: inspect() returns the documented shapes, and the CLI computes the same`, () => {
    const trainer = engine.createTrainer(text, { cell, layers: 2, hiddenSize: 24, embedSize: 8 },
      { batchSize: 8, seqLen: 32, seed: 3, optimizer: 'adam', learningRate: 0.01 });
    trainer.train(20);
    const excerpt = 'KING HENRY:\nWhat "news" (from France)?€';
    const r = trainer.inspect(excerpt, { topK: 5 });
    const N = Array.from(excerpt).length, L = 2, H = 24, K = 5;
    assert.deepEqual([r.chars, r.topK, r.layers, r.hidden, r.hasCellState], [N, K, L, H, cell === 'lstm']);
    assert.ok(r.ids instanceof Int32Array && r.ids.length === N);
    assert.ok(r.topIds instanceof Int32Array && r.topIds.length === N * K);
    assert.ok(r.topProbs instanceof Float32Array && r.topProbs.length === N * K);
    assert.ok(r.pActual instanceof Float32Array && r.pActual.length === N);
    assert.ok(r.h instanceof Float32Array && r.h.length === L * N * H);
    assert.equal(r.c.length, cell === 'lstm' ? L * N * H : 0);
    assert.deepEqual(r.text, Array.from(excerpt));
    assert.equal(r.ids[N - 1], -1, '€ is outside the vocabulary');
    assert.equal(r.pActual[N - 1], 0);
    for (let i = 0; i < N; i++) {
      for (let k = 1; k < K; k++) assert.ok(r.topProbs[i * K + k - 1] >= r.topProbs[i * K + k]);
      assert.ok(r.topIds[i * K] >= 0 && r.topIds[i * K] < trainer.vocab.length);
    }
    for (const x of r.h) assert.ok(x >= -1 && x <= 1);
    const ranks = trainer.rankNeurons(3);
    assert.deepEqual(ranks.map((p) => p.property),
      ['inside quotes', 'line position', 'bracket depth', 'inside a comment', 'indentation', 'inside a word',
        'inside an if condition', 'inside an if statement']);
    for (const p of ranks) {
      assert.equal(p.best.length, p.varies ? 3 : 0, p.property);
      for (const n of p.best) assert.ok(Math.abs(n.r) <= 1 && n.layer < L && n.unit < H);
    }

    // The native CLI reads the same file and reports the same numbers.
    const model = writeText(dir, `${cell}.safetensors`, trainer.save());
    const excerptFile = writeText(dir, `${cell}.txt`, excerpt);
    const cli = spawnSync(findCli(), ['inspect', '--model', model, '--text', excerptFile, '--neuron', '2:8', '--json'],
      { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const lines = cli.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const { summary } = lines.pop();
    assert.equal(lines.length, N);
    // The summary: over the characters after the first in the vocabulary, the mean -ln p and how
    // often the top guess was the one that came.
    let nats = 0, hits = 0, n = 0;
    for (let i = 1; i < N; i++) {
      if (r.ids[i] < 0) continue;
      nats -= Math.log(r.pActual[i]), n++;
      hits += r.topIds[(i - 1) * K] === r.ids[i] ? 1 : 0;
    }
    assert.deepEqual([summary.chars, summary.skipped], [n, r.ids.filter((id) => id < 0).length]);
    assert.ok(summary.skipped >= 1 && hits > 0);
    assert.ok(Math.abs(summary.nats_per_char - nats / n) < 1e-4, `nats/char ${summary.nats_per_char}`);
    assert.ok(Math.abs(summary.top1 - hits / n) < 1e-12, `top-1 ${summary.top1}`);
    lines.forEach((line, i) => {
      assert.equal(line.char, r.text[i]);
      if (i < N - 1) assert.ok(Math.abs(line.p_actual - r.pActual[i]) < 1e-5, `p_actual at ${i}`);
      assert.equal(line.top[0][0], trainer.vocab[r.topIds[i * K]]);
      assert.ok(Math.abs(line.activation - r.h[(1 * N + i) * H + 7]) < 1e-5, `activation at ${i}`);
    });
    trainer.dispose();
  });
}

test('a sampling-only model inspects too (the widget\'s module)', async () => {
  const { engine: sampling } = await loadEngine('sampling');
  const bytes = fs.readFileSync(new URL('../../examples/models/shakespeare.safetensors', import.meta.url));
  const model = sampling.loadModel(bytes);
  const r = model.inspect('ROMEO:\nWhat light', { topK: 3 });
  assert.equal(r.topIds.length, r.chars * 3);
  assert.equal(r.h.length, model.config.layers * r.chars * model.config.hiddenSize);
  assert.equal(model.rankNeurons(2).length, 8);
  assert.throws(() => model.inspect(''), (e) => e.name === 'CharRnnError' && /empty/.test(e.message));
  assert.throws(() => model.inspect('abc', { topK: 0 }), (e) => e.name === 'CharRnnError' && /top-k/.test(e.message));
  model.dispose();
});

test('blow-ups at learning rates 100, then 10, then 1 return to the good weights each time', () => {
  const trainer = engine.createTrainer(text, { cell: 'gru', layers: 2, hiddenSize: 32, embedSize: 16 },
    { batchSize: 16, seqLen: 32, seed: 5, optimizer: 'adam', learningRate: 3e-3 });
  trainer.train(60);
  const good = trainer.evaluate();
  assert.equal(trainer.markGood(good), true);
  const goodIteration = trainer.iteration;
  for (const lr of [100, 10, 1]) {
    trainer.setLearningRate(lr);
    let back = null;
    for (let chunk = 0; chunk < 20 && !back; chunk++) {
      const s = trainer.train(5);
      if (s.diverged) back = trainer.rollBack();
      else trainer.markGood(trainer.evaluate()); // as the page does between chunks: ruined weights are refused
    }
    assert.ok(back, `learning rate ${lr} blew up`);
    assert.equal(back.iteration, goodIteration);
    assert.equal(back.valLoss, good);
    assert.ok(Math.abs(back.learningRate - 3e-3) < 1e-9);
    assert.ok(back.suggestedLearningRate <= 3e-3 + 1e-9, `suggested ${back.suggestedLearningRate}`);
  }
  const after = trainer.evaluate();
  assert.ok(Math.abs(after - good) <= 0.03 * good, `validation loss ${after} vs ${good} before the blow-ups`);
  trainer.dispose();
});

// "Why it works" through the public JS API (engine.loadAnalysis, wasm_bindings/wrappers.js):
// the n-gram's validation loss and the gate fractions are the CLI's, the one-call reach curve is
// the piecewise one, results are copies (a later call does not change them), and bad input is a
// CharRnnError of the kind that says whose mistake it is.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { loadEngine, runCli, sentences, tempDir } from './support.mjs';

let api, engine, bytes, rnnBytes, dir, textFile, excerptFile, modelFile;
const excerpt = sentences.slice(0, 500);

function trained(cell) {
  const trainer = engine.createTrainer(sentences, { cell, layers: 2, hiddenSize: 12, embedSize: 8 },
    { batchSize: 4, seqLen: 16, optimizer: 'adam', learningRate: 1e-2, seed: 9 });
  trainer.train(30);
  const saved = trainer.save();
  trainer.dispose();
  return saved;
}

before(async () => {
  ({ api, engine } = await loadEngine());
  bytes = trained('gru');
  rnnBytes = trained('rnn');
  dir = tempDir('analysis-api');
  textFile = path.join(dir, 'text.txt');
  excerptFile = path.join(dir, 'excerpt.txt');
  modelFile = path.join(dir, 'model.safetensors');
  fs.writeFileSync(textFile, sentences);
  fs.writeFileSync(excerptFile, excerpt);
  fs.writeFileSync(modelFile, bytes);
});

const cliJson = (args) => JSON.parse(runCli(args).toString());
const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

test('the defaults are the engine\'s', () => {
  assert.deepEqual({ ...engine.analysisDefaults }, { ngramOrder: 5, maxNgramOrder: 16, reachDistance: 50,
    maxReachDistance: 1000, reachSamples: 200, valFraction: engine.defaults.train.valFraction });
});

test('countNgram, ngramPActual and advantage: the CLI\'s loss, from a string or the text\'s bytes', () => {
  const a = engine.loadAnalysis(bytes);
  try {
    const native = cliJson(['ngram', '--data', textFile, '--order', '3', '--json']);
    const fromString = a.countNgram(sentences, { order: 3 });
    assert.equal(fromString.order, 3);
    close(fromString.valLoss, native.val_loss, 1e-6, 'order 3 val loss');
    const fromBytes = a.countNgram(new TextEncoder().encode(sentences), { order: 3 });
    assert.equal(fromBytes.valLoss, fromString.valLoss);
    const p = a.ngramPActual(excerpt);
    assert.ok(p instanceof Float32Array && p.length === Array.from(excerpt).length);
    const again = a.ngramPActual('the');
    assert.equal(p.length, Array.from(excerpt).length, 'a copy: the next call leaves it alone');
    assert.equal(again.length, 3);
    const model = engine.loadModel(bytes);
    const pNet = model.inspect(excerpt).pActual;
    model.dispose();
    const split = a.advantage(excerpt, pNet, p);
    let sum = 0;
    for (let i = 0; i < p.length; i++) sum += Math.log(pNet[i]) - Math.log(p[i]);
    close(split.nats, sum, 1e-3 * Math.abs(sum) + 1e-3, 'summed advantage');
    assert.deepEqual(split.byContext.map((k) => k.after), ['line break', 'closing bracket', 'quote']);
    assert.throws(() => a.advantage(excerpt, pNet.subarray(1), p),
      (e) => e instanceof api.CharRnnError && e.kind === 'argument' && /one probability per character/.test(e.message));
  } finally {
    a.dispose();
  }
});

test('gateSaturation is the CLI\'s; an RNN has no gates', () => {
  const a = engine.loadAnalysis(bytes);
  const g = a.gateSaturation(excerpt);
  a.dispose();
  assert.deepEqual(g.gateNames, ['reset', 'update']);
  assert.equal(g.left.length, g.layers * g.gates * g.hidden);
  const native = cliJson(['gates', '--model', modelFile, '--text', excerptFile, '--json']);
  assert.equal(g.chars, native.chars);
  for (let l = 0; l < g.layers; l++) {
    g.gateNames.forEach((name, s) => {
      for (let u = 0; u < g.layerHidden[l]; u++) {
        const at = (l * g.gates + s) * g.hidden + u;
        close(g.left[at], native.layers[l].gates[name].left[u], 1.5 / g.chars, `left ${l} ${name} ${u}`);
        close(g.right[at], native.layers[l].gates[name].right[u], 1.5 / g.chars, `right ${l} ${name} ${u}`);
      }
    });
  }
  const rnn = engine.loadAnalysis(rnnBytes);
  try {
    assert.throws(() => rnn.gateSaturation(excerpt), (e) => e instanceof api.CharRnnError && /LSTM or a GRU/.test(e.message));
  } finally {
    rnn.dispose();
  }
});

test('reach() is reachSession over reachPositions, averaged', () => {
  const a = engine.loadAnalysis(bytes);
  try {
    const r = a.reach(excerpt, { maxDistance: 12, samples: 20 });
    assert.equal(r.byDistance.length, 12);
    assert.deepEqual(Array.from(a.reachPositions(Array.from(excerpt).length, { maxDistance: 12, samples: 20 })),
      Array.from(r.positions));
    const session = a.reachSession(excerpt, { maxDistance: 12 });
    assert.equal(session.chars, Array.from(excerpt).length);
    const sums = new Array(12).fill(0);
    for (const t of r.positions) session.sizesAt(t).forEach((x, k) => { sums[k] += x; });
    sums.forEach((s, k) => close(s / r.positions.length, r.byDistance[k], 1e-6 * r.byDistance[k], `distance ${k + 1}`));
    assert.equal(session.sizesAt(session.chars - 1).length, 12);
    session.dispose();
    assert.throws(() => session.sizesAt(3), (e) => e.kind === 'usage' && /disposed/.test(e.message));
  } finally {
    a.dispose();
  }
});

test('bad input is a CharRnnError that says what to give', () => {
  const kindOf = (fn) => { try { fn(); } catch (e) { return [e instanceof api.CharRnnError, e.kind, e.message]; } return null; };
  assert.deepEqual(kindOf(() => engine.loadAnalysis('not bytes'))?.slice(0, 2), [true, 'argument']);
  assert.equal(kindOf(() => engine.loadAnalysis(new Uint8Array(3)))?.[0], true);
  const a = engine.loadAnalysis(bytes);
  assert.match(kindOf(() => a.countNgram(sentences, { order: 0 }))[2], /n-gram order must be a whole number between 1 and 16/);
  assert.match(kindOf(() => a.ngramPActual(excerpt))[2], /Count the n-gram first/);
  assert.match(kindOf(() => a.reach('Zebra'))[2], /has the character 'Z'/);
  assert.deepEqual(kindOf(() => a.reach(excerpt, { maxDistance: 0 })).slice(0, 2), [true, 'argument']);
  a.dispose();
  assert.deepEqual(kindOf(() => a.gateSaturation(excerpt)).slice(0, 2), [true, 'usage']);
});

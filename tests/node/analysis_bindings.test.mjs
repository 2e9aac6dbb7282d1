// The "why it works" bindings (wasm_bindings/analysis_bindings.cpp) against the native CLI on the
// same model file and texts: the n-gram's validation loss, the gate saturation fractions and the
// reach curve agree, the page's piecewise reach (reachSession) gives the one-call curve, and bad
// input throws an Error that says what to do.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { loadEngine, runCli, sentences, tempDir, wasmDir } from './support.mjs';

let wasm, analysis, dir, modelFile, textFile, excerptFile;
const excerpt = sentences.slice(0, 600);

before(async () => {
  const { engine } = await loadEngine();  // sets up Node's globals for the generated module
  const trainer = engine.createTrainer(sentences, { cell: 'lstm', layers: 2, hiddenSize: 16, embedSize: 8 },
    { batchSize: 4, seqLen: 16, optimizer: 'adam', learningRate: 1e-2, seed: 5 });
  trainer.train(40);
  const bytes = trainer.save();
  trainer.dispose();
  dir = tempDir('analysis-');
  modelFile = path.join(dir, 'model.safetensors');
  textFile = path.join(dir, 'text.txt');
  excerptFile = path.join(dir, 'excerpt.txt');
  fs.writeFileSync(modelFile, bytes);
  fs.writeFileSync(textFile, sentences);
  fs.writeFileSync(excerptFile, excerpt);
  const factory = (await import(path.join(wasmDir, 'charrnn_training.mjs'))).default;
  wasm = await factory({ wasmBinary: fs.readFileSync(path.join(wasmDir, 'charrnn_training.wasm')) });
  analysis = wasm.ModelAnalysis.fromBytes(bytes);
});

const cliJson = (args) => JSON.parse(runCli(args).toString());
const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

test('the n-gram validation loss is the CLI\'s', () => {
  const wasm = analysis.countNgram(sentences, 4, 0.1);
  const native = cliJson(['ngram', '--data', textFile, '--order', '4', '--json']);
  close(wasm.valLoss, native.val_loss, 1e-9, 'val loss');
  const p = analysis.ngramPActual(excerpt).slice();
  assert.equal(p.length, Array.from(excerpt).length);
  assert.ok(p.every((x) => x > 0 && x < 1));
  const a = analysis.advantage(excerpt, new Float32Array(p.length).fill(0.5), p);
  assert.deepEqual(a.byContext.map((k) => k.after), ['line break', 'closing bracket', 'quote']);
});

test('gate saturation is the CLI\'s', () => {
  const g = analysis.gateSaturation(excerpt);
  const left = g.left.slice(), right = g.right.slice();
  const native = cliJson(['gates', '--model', modelFile, '--text', excerptFile, '--json']);
  assert.deepEqual(Array.from(g.gateNames), ['input', 'forget', 'output']);
  assert.equal(g.chars, native.chars);
  for (let l = 0; l < g.layers; l++) {
    g.gateNames.forEach((name, s) => {
      for (let u = 0; u < g.hidden; u++) {
        const at = (l * g.gates + s) * g.hidden + u;
        // One character's gate may sit on the other side of a threshold after WASM's arithmetic.
        close(left[at], native.layers[l].gates[name].left[u], 1.5 / g.chars, `left ${l} ${name} ${u}`);
        close(right[at], native.layers[l].gates[name].right[u], 1.5 / g.chars, `right ${l} ${name} ${u}`);
      }
    });
  }
});

test('the reach curve is the CLI\'s, and piece by piece the same', () => {
  const r = analysis.reachOverText(excerpt, 20, 30);
  const byDistance = r.byDistance.slice(), positions = r.positions.slice();
  const native = cliJson(['reach', '--model', modelFile, '--text', excerptFile, '--max-distance', '20',
    '--samples', '30', '--json']);
  assert.equal(positions.length, 30);
  byDistance.forEach((x, k) => close(x, native.by_distance[k], 1e-3 * native.by_distance[k] + 1e-7, `distance ${k + 1}`));
  const session = analysis.reachSession(excerpt, 20);
  const sums = new Array(20).fill(0);
  for (const t of analysis.reachPositions(session.chars(), 20, 30).slice()) {
    session.sizesAt(t).slice().forEach((x, k) => { sums[k] += x; });
  }
  session.delete();
  sums.forEach((s, k) => close(s / 30, byDistance[k], 1e-6 * byDistance[k], `piecewise distance ${k + 1}`));
});

test('bad input throws an Error that says what to do', () => {
  assert.throws(() => analysis.countNgram(sentences, 0, 0.1), /order must be between 1 and/);
  assert.throws(() => analysis.reachOverText('Zebra', 10, 5), /has the character 'Z'/);
  assert.throws(() => analysis.reachSession(excerpt, 0), /distance must be between 1/);
  assert.throws(() => wasm.ModelAnalysis.fromBytes(new Uint8Array(3)), /model file/);
  const fresh = wasm.ModelAnalysis.fromBytes(fs.readFileSync(modelFile));
  try {
    assert.throws(() => fresh.ngramPActual(excerpt), /Count the n-gram first/);
  } finally {
    fresh.delete();
  }
});

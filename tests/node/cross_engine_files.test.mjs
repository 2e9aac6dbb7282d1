// Model files move between the engines: a model saved by the native CLI samples the same text in
// WASM for the same seed, temperature and prime, and the other way round; a checkpoint written
// by either engine resumes in the other with the losses the writer itself would have had.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { cliArgs, loadEngine, relativeDifference, runCli, tempDir, trainCli, writeText } from './support.mjs';

const dir = tempDir('files');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const text = fs.readFileSync(new URL('../../examples/corpora/tinyshakespeare.txt', import.meta.url), 'utf8').slice(0, 20000);
const textFile = writeText(dir, 'text.txt', text);
const model = { cell: 'lstm', layers: 2, hiddenSize: 64, embedSize: 16 };
const train = { batchSize: 8, seqLen: 32, optimizer: 'adam', learningRate: 5e-3, seed: 5 };
const samplings = [
  { seed: 1, temperature: 1, prime: '' },
  { seed: 42, temperature: 0.7, prime: 'ROMEO:\n' },
  { seed: 7, temperature: 1.3, prime: 'First Citizen', topK: 5 },
];

let engine;
before(async () => { ({ engine } = await loadEngine()); });

// The CLI's sample alone: without the prime it echoes and the line break that ends its output.
function cliSample(file, { seed, temperature, prime, topK = 0 }, length = 200) {
  const out = runCli(['sample', '--model', file, '--seed', String(seed), '--temperature', String(temperature),
    '--prime', prime, '--top-k', String(topK), '--length', String(length), '--no-echo-prime']).toString('utf8');
  assert.ok(out.endsWith('\n'), 'the output ends with a line break');
  return out.slice(0, -1);
}

test('a model saved by the CLI samples the same text in WASM', () => {
  for (const f16 of [false, true]) {
    const file = path.join(dir, f16 ? 'native_f16.safetensors' : 'native.safetensors');
    trainCli(['--data', textFile, ...cliArgs(model, train), '--max-steps', '30', '--checkpoint-dir', `${dir}/ck-native`,
      '--save', file, ...(f16 ? ['--f16'] : [])]);
    const loaded = engine.loadModel(fs.readFileSync(file));
    for (const s of samplings) {
      const wasm = loaded.sample({ ...s, length: 200 });
      assert.equal([...wasm].length, 200);
      assert.equal(wasm, cliSample(file, s), `f16=${f16}, sampling ${JSON.stringify(s)}`);
    }
    loaded.dispose();
  }
});

test('a model saved by WASM samples the same text in the CLI', () => {
  const trainer = engine.createTrainer(text, model, train);
  trainer.train(30);
  const file = path.join(dir, 'wasm.safetensors');
  fs.writeFileSync(file, trainer.save());
  for (const s of samplings) assert.equal(cliSample(file, s), trainer.sample({ ...s, length: 200 }), JSON.stringify(s));
  // The samples are not trivially equal (e.g. empty): different seeds give different text.
  assert.notEqual(cliSample(file, samplings[0]), cliSample(file, { ...samplings[0], seed: 2 }));
  trainer.dispose();
});

const assertLossesAgree = (actual, expected, what) => {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((loss, i) => assert.ok(relativeDifference(loss, expected[i]) < 1e-3,
    `${what}, step ${i + 1}: ${loss} vs ${expected[i]}`));
};

test('a WASM checkpoint resumes in the CLI', () => {
  const trainer = engine.createTrainer(text, { ...model, dropout: 0.1 }, train);
  trainer.train(8);
  const file = path.join(dir, 'wasm_checkpoint.safetensors');
  fs.writeFileSync(file, trainer.save({ checkpoint: true }));
  const wasmContinued = [];
  for (let i = 0; i < 6; i++) wasmContinued.push(trainer.train(1).loss);
  trainer.dispose();

  const resumed = trainCli(['--data', textFile, '--resume', file, '--max-steps', '14', '--checkpoint-dir', `${dir}/ck-resume`]);
  assert.deepEqual(resumed.map((r) => r.step), [9, 10, 11, 12, 13, 14]);
  assertLossesAgree(resumed.map((r) => r.loss), wasmContinued, 'CLI resuming a WASM checkpoint');
});

test('a CLI checkpoint resumes in WASM', () => {
  const args = ['--data', textFile, ...cliArgs({ ...model, dropout: 0.1 }, train)];
  const straight = trainCli([...args, '--max-steps', '14', '--checkpoint-dir', `${dir}/ck-straight`]);
  trainCli([...args, '--max-steps', '8', '--checkpoint-dir', `${dir}/ck-first`]);
  const checkpoint = fs.readFileSync(path.join(dir, 'ck-first/checkpoint-step8.safetensors'));

  const trainer = engine.loadTrainer(checkpoint, text);
  assert.equal(trainer.iteration, 8);
  const wasmResumed = [];
  for (let i = 0; i < 6; i++) wasmResumed.push(trainer.train(1).loss);
  assert.equal(trainer.iteration, 14);
  trainer.dispose();
  assertLossesAgree(wasmResumed, straight.slice(8).map((r) => r.loss), 'WASM resuming a CLI checkpoint');
});

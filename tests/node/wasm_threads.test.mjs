// Threads in the WASM engine: each batch split into shards, shards 2.. in helper workers (Node's
// worker_threads here, Web Workers in a page; one WASM instance each). The helpers give exactly
// the model the same shard count gives in one thread (checkpoints byte for byte equal), which is
// one thread's model up to the order floats are summed; a checkpoint resumes bit for bit; a helper
// that cannot start leaves its shard here; bad thread counts are refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { loadEngine, relativeDifference, wasmDir } from './support.mjs';

// Short, so the runs below cross epoch boundaries (where the carried state is reset): about 12
// steps an epoch.
const text = fs.readFileSync(new URL('../../examples/corpora/tinyshakespeare.txt', import.meta.url)).subarray(0, 1600);
const MODEL = { cell: 'lstm', layers: 2, hiddenSize: 48, embedSize: 16, dropout: 0.2 }; // dropout: generators travel
const TRAIN = { batchSize: 5, seqLen: 24, optimizer: 'adam', learningRate: 3e-3, seed: 7 }; // uneven shards

const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

async function parallelSteps(trainer, steps) {
  await trainer.helpersReady();
  assert.equal(trainer.helperThreads, trainer.threads - 1, 'the helpers run');
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push((await trainer.trainInParallel(1)).loss);
  return losses;
}

// The last: per-layer hidden sizes (the exchanged state holds layers of different widths).
for (const [cell, hiddenSizes] of [['lstm', []], ['gru', []], ['rnn', []], ['lstm', [48, 20]]]) {
  test(`${cell}${hiddenSizes.length ? ` ${hiddenSizes.join('-')}` : ''}: helper workers train exactly the model of the same shards in one thread`, async () => {
    const { engine } = await loadEngine();
    const model = { ...MODEL, cell, hiddenSizes };
    for (const threads of [2, 3]) {
      const here = engine.createTrainer(text, model, TRAIN, { threads });
      const helped = engine.createTrainer(text, model, TRAIN, { threads });
      const one = engine.createTrainer(text, model, TRAIN);
      try {
        const STEPS = 30;
        assert.ok(here.stepsPerEpoch < STEPS / 2, `epochs end within the run (${here.stepsPerEpoch} steps each)`);
        const a = [];
        for (let i = 0; i < STEPS; i++) a.push(here.train(1).loss);
        const b = await parallelSteps(helped, STEPS);
        const c = [];
        for (let i = 0; i < STEPS; i++) c.push(one.train(1).loss);
        assert.deepEqual(b, a, `${threads} threads: the same losses, bit for bit`);
        assert.ok(same(helped.save({ checkpoint: true }), here.save({ checkpoint: true })), 'the same checkpoint');
        for (let i = 0; i < STEPS; i++) assert.ok(relativeDifference(b[i], c[i]) < 1e-3, `step ${i}: ${b[i]} vs ${c[i]}`);
        assert.ok(b[STEPS - 1] < b[0] - 0.3, `the loss falls: ${b}`);
      } finally {
        for (const t of [here, helped, one]) t.dispose();
      }
    }
  });
}

test('a checkpoint taken between parallel steps resumes bit for bit on the same threads', async () => {
  const { engine } = await loadEngine();
  const original = engine.createTrainer(text, MODEL, TRAIN, { threads: 2 });
  let resumed = null;
  try {
    await parallelSteps(original, 3);
    resumed = engine.loadTrainer(original.save({ checkpoint: true }), text, {}, { resume: true, threads: 2 });
    const a = await parallelSteps(original, 4);
    const b = await parallelSteps(resumed, 4);
    assert.deepEqual(b, a);
    assert.ok(same(original.save({ checkpoint: true }), resumed.save({ checkpoint: true })));
  } finally {
    original.dispose();
    resumed?.dispose();
  }
});

test('helpers that cannot start leave their shards here: the same model, and the reason once', async () => {
  const { engine: reference } = await loadEngine();
  const { load } = await import(new URL('../../build/wasm/charrnn.js', import.meta.url).href);
  const engine = await load({ helperUrl: new URL('./no-such-helper.js', import.meta.url).href });
  const broken = engine.createTrainer(text, MODEL, TRAIN, { threads: 2 });
  const here = reference.createTrainer(text, MODEL, TRAIN, { threads: 2 });
  try {
    await broken.helpersReady();
    assert.equal(broken.helperThreads, 0);
    const first = await broken.trainInParallel(3);
    assert.match(first.threadError, /Training goes on in one thread/);
    const second = await broken.trainInParallel(3);
    assert.equal(second.threadError, null, 'said once');
    here.train(6);
    assert.ok(same(broken.save({ checkpoint: true }), here.save({ checkpoint: true })));
  } finally {
    broken.dispose();
    here.dispose();
  }
});

test('nothing else may use the trainer while trainInParallel() is under way', async () => {
  const { engine } = await loadEngine();
  const trainer = engine.createTrainer(text, MODEL, TRAIN, { threads: 2 });
  try {
    await trainer.helpersReady();
    const running = trainer.trainInParallel(3);
    for (const use of [() => trainer.evaluate(), () => trainer.save(), () => trainer.train(1), () => trainer.markGood(1),
      () => trainer.rollBack(), () => trainer.setText(text), () => trainer.inspect('ab'), () => trainer.sample(),
      () => trainer.sampleLines(), () => trainer.saveBest(), () => trainer.setLearningRate(0.01)]) {
      assert.throws(use, (e) => e.kind === 'usage' && /in the middle of trainInParallel/.test(e.message), String(use));
    }
    assert.equal(trainer.threads, 2, 'its getters still answer');
    await running;
    assert.ok(Number.isFinite(trainer.evaluate()), 'and everything works once it is done');
  } finally {
    trainer.dispose();
  }
});

test('thread counts that are not whole numbers from 1 to the batch size are refused', async () => {
  const { engine } = await loadEngine();
  for (const threads of [0, -1, 1.5, NaN, Infinity, 2 ** 60, 6]) {
    assert.throws(() => engine.createTrainer(text, MODEL, TRAIN, { threads }), (e) => e.name === 'CharRnnError' &&
      /number of threads/.test(e.message), `threads ${threads}`);
  }
  assert.throws(() => engine.createTrainer(text, MODEL, TRAIN, 'two'), /Options must be given as an object/);
});

// A script that trains with threads and never calls dispose() ends when its last line has run:
// idle helper workers do not hold Node open (while a step is out they do, or it could end mid-step).
test('a Node script that trains with helper threads exits by itself, without dispose()', async () => {
  const { execFile } = await import('node:child_process');
  const script = `
    import { load } from ${JSON.stringify(pathToFileURL(path.join(wasmDir, 'charrnn.js')).href)};
    const engine = await load();
    const trainer = engine.createTrainer('abcabcabd '.repeat(400), { cell: 'gru', hiddenSize: 16, layers: 1 },
      { batchSize: 4, seqLen: 8 }, { threads: 2 });
    await trainer.helpersReady();
    let { loss } = await trainer.trainInParallel(5);
    console.log(JSON.stringify({ helperThreads: trainer.helperThreads, loss }));
  `;
  const started = Date.now();
  const { code, stdout, stderr } = await new Promise((resolve) => {
    // A file, not `node -e`: worker_threads would inherit -e's --input-type.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-exit-')), 'script.mjs');
    fs.writeFileSync(file, script);
    execFile(process.execPath, [file], { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.killed ? 'killed after 60 s' : error.code) : 0, stdout, stderr }));
  });
  assert.equal(code, 0, `the script ends by itself (stderr: ${stderr.slice(0, 500)})`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.equal(result.helperThreads, 1, 'the helper worker trained');
  assert.ok(Number.isFinite(result.loss), 'five steps ran');
  assert.ok(Date.now() - started < 60_000);
});

// Firefox now and then freezes a worker in `new Worker()` right after it terminated another of its
// workers: a trainer's helpers are kept for the next trainer (a new model, a model loaded, other
// threads) rather than terminated and started again.
test('a disposed trainer’s helper workers serve the next trainer: none is started again', async () => {
  const { load } = await import(new URL('../../build/wasm/charrnn.js', import.meta.url).href);
  const engine = await load();
  const first = engine.createTrainer(text, MODEL, TRAIN, { threads: 3 });
  await parallelSteps(first, 2);
  assert.deepEqual(engine.helperWorkers(), { started: 2, idle: 0 });
  first.dispose();
  assert.deepEqual(engine.helperWorkers(), { started: 2, idle: 2 }, 'back in the pool');
  // Another model (another shape) on fewer threads, then more: two workers in all.
  const second = engine.createTrainer(text, { ...MODEL, cell: 'gru', hiddenSize: 20 }, TRAIN, { threads: 2 });
  const losses = await parallelSteps(second, 3);
  assert.deepEqual(engine.helperWorkers(), { started: 2, idle: 1 });
  const here = engine.createTrainer(text, { ...MODEL, cell: 'gru', hiddenSize: 20 }, TRAIN, { threads: 2 });
  const expected = [];
  for (let i = 0; i < 3; i++) expected.push(here.train(1).loss);
  assert.deepEqual(losses, expected, 'a helper that served another model trains this one exactly');
  here.dispose();
  second.dispose();
  const third = engine.createTrainer(text, MODEL, TRAIN, { threads: 3 });
  await parallelSteps(third, 1);
  assert.deepEqual(engine.helperWorkers(), { started: 2, idle: 0 });
  third.dispose();
});

// load({ wasmModule }): the engine from a WebAssembly.Module compiled beforehand (the page's worker
// starts compileStreaming before it is asked to load), or from a promise of one; a module that
// fails to compile gives a CharRnnError instead of a load that never ends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { sentences, wasmDir } from './support.mjs';

const api = await import(path.join(wasmDir, 'charrnn.js'));
const bytes = fs.readFileSync(path.join(wasmDir, 'charrnn_training.wasm'));
const settings = [{ hiddenSize: 16, embedSize: 8, layers: 1 }, { batchSize: 4, seqLen: 16, seed: 3 }];

test('an engine from a compiled module trains as one loaded from the file', async () => {
  const fromFile = await api.load();
  const fromModule = await api.load({ wasmModule: await WebAssembly.compile(bytes) });
  const fromPromise = await api.load({ wasmModule: WebAssembly.compile(bytes) });
  const losses = [fromFile, fromModule, fromPromise].map((engine) => {
    const trainer = engine.createTrainer(sentences, ...settings);
    const { loss } = trainer.train(3);
    trainer.dispose();
    return loss;
  });
  assert.ok(Number.isFinite(losses[0]));
  assert.equal(losses[1], losses[0]);
  assert.equal(losses[2], losses[0]);
});

test('a module that did not compile is a CharRnnError', async () => {
  const broken = WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
  broken.catch(() => {}); // load() handles it; Emscripten's glue under Node throws on unhandled rejections
  await assert.rejects(api.load({ wasmModule: broken }), (e) => {
    assert.ok(e instanceof api.CharRnnError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.kind, 'environment');
    assert.match(e.message, /engine's WebAssembly could not be loaded/);
    return true;
  });
});

test('threads: the helpers of an engine from a compiled module get that module and run their shard', async () => {
  const engine = await api.load({ wasmModule: WebAssembly.compile(bytes) });
  const trainer = engine.createTrainer(sentences, { hiddenSize: 16, embedSize: 8, layers: 1 },
    { batchSize: 4, seqLen: 16, seed: 5 }, { threads: 2 });
  // The helper starts in the background while this thread trains: train until it runs.
  const until = Date.now() + 60000;
  while (trainer.helperThreads === 0 && Date.now() < until) {
    const r = await trainer.trainInParallel(1);
    assert.equal(r.threadError, null, 'the helper started (a module it could not use would stop it)');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(trainer.helperThreads, 1, 'a helper runs the second shard');
  const r = await trainer.trainInParallel(3);
  assert.equal(r.threadError, null);
  assert.ok(Number.isFinite(r.loss));
  trainer.dispose();
});

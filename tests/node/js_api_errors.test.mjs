// Bad input through the JS API: each call throws a CharRnnError carrying the core's message, and
// nothing is left broken: the trainer that existed before still trains, and new ones can be made.
// A CharRnnError's kind says whose refusal it is; a crash of the engine is never a CharRnnError.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';

import { loadEngine, sentences, wasmDir } from './support.mjs';

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

// Counts and seeds that are negative, NaN, Infinity, fractional or beyond 2^53 never reach the
// engine's integers: every function that takes one refuses them with a CharRnnError.
test('every count and seed is checked at the JS boundary', async () => {
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  const model = engine.loadModel(trainer.save());
  const sampler = trainer.sampler({ seed: 1 });
  const bad = [-1, NaN, Infinity, -Infinity, 2.5, 2 ** 53 + 2, '7', null];
  const calls = {
    'createTrainer seed': (v) => engine.createTrainer(sentences, small, { ...smallTrain, seed: v }),
    'createTrainer batchSize': (v) => engine.createTrainer(sentences, small, { ...smallTrain, batchSize: v }),
    'createTrainer hiddenSize': (v) => engine.createTrainer(sentences, { ...small, hiddenSize: v }, smallTrain),
    'loadTrainer seed': (v) => engine.loadTrainer(trainer.save(), sentences, { seed: v }, { resume: false }),
    'estimateTrainingBytes vocabSize': (v) => engine.estimateTrainingBytes(small, smallTrain, v),
    'train steps': (v) => trainer.train(v),
    'evaluate maxChars': (v) => trainer.evaluate(v),
    'trainer.sample seed': (v) => trainer.sample({ seed: v, length: 5 }),
    'trainer.sample length': (v) => trainer.sample({ length: v }),
    'trainer.sample topK': (v) => trainer.sample({ topK: v, length: 5 }),
    'trainer.sampler seed': (v) => trainer.sampler({ seed: v }),
    'sampler.setSettings seed': (v) => sampler.setSettings({ seed: v }),
    'sampler.next': (v) => sampler.next(v),
    'model.sample seed': (v) => model.sample({ seed: v, length: 5 }),
    'model.sample length': (v) => model.sample({ length: v }),
    'model.inspect topK': (v) => model.inspect('The', { topK: v }),
    'trainer.inspect topK': (v) => trainer.inspect('The', { topK: v }),
    'model.rankNeurons': (v) => model.rankNeurons(v),
  };
  for (const [name, fn] of Object.entries(calls)) {
    for (const v of bad) {
      assert.throws(() => fn(v), (e) => {
        assert.ok(e instanceof api.CharRnnError, `${name}(${String(v)}): ${e?.constructor?.name}: ${e?.message}`);
        assert.match(e.message, /whole number|must be/, `${name}(${String(v)}): ${e.message}`);
        return true;
      }, `${name}(${String(v)}) was accepted`);
    }
  }
  // Good values still work afterwards.
  assert.equal(trainer.sample({ seed: 2 ** 53 - 1, length: 5 }).length, 5);
  assert.equal(trainer.train(1).iteration, 1);
  sampler.dispose();
  model.dispose();
  trainer.dispose();
});

test('the engine\'s defaults come from the core, once', () => {
  assert.deepEqual(engine.defaults.model, { cell: 'lstm', embedSize: 32, hiddenSize: 128, hiddenSizes: [], layers: 2,
    dropout: 0 });
  assert.equal(engine.defaults.train.optimizer, 'rmsprop');
  assert.equal(engine.defaults.train.seed, 42);
  assert.equal(engine.defaults.sample.temperature, 1);
  assert.ok(Object.isFrozen(engine.defaults.train));
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  assert.equal(trainer.trainConfig.gradClip, engine.defaults.train.gradClip);
  assert.equal(trainer.modelConfig.dropout, 0);
  trainer.dispose();
});

test('describeText counts a text without a model, drops a byte-order mark and names UTF-16', () => {
  const info = engine.describeText('\uFEFFabcab\n', 0.5);
  assert.deepEqual(info, { chars: 6, trainChars: 3, valChars: 3, vocab: ['\n', 'a', 'b', 'c'] });
  const utf16 = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]);
  assertCharRnnError(() => engine.describeText(utf16), /UTF-16/);
  assertCharRnnError(() => engine.createTrainer(utf16, small, smallTrain), /UTF-16/);
});

function kindOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof api.CharRnnError, `expected a CharRnnError, got ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(api.isCrash(e), false);
    return e.kind;
  }
  assert.fail('the call was accepted');
}

test('a CharRnnError says whose refusal it is in its kind, not only in its message', () => {
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  const corrupt = new Uint8Array(2000).map((_, i) => (i * 7919) % 251);
  // The engine's own errors (charrnn::Error through wasm_bindings/js_errors.h).
  assert.equal(kindOf(() => engine.createTrainer('', small, smallTrain)), 'input');
  assert.equal(kindOf(() => engine.loadModel(corrupt)), 'input');
  assert.equal(kindOf(() => engine.createTrainer(sentences, { ...small, cell: 'transformer' }, smallTrain)), 'input');
  assert.equal(kindOf(() => trainer.sample({ prime: 'Zebra€', length: 5 })), 'input');
  assert.equal(kindOf(() => trainer.restoreBest()), 'input');
  // Refused by the JS API before the engine saw it, by its own checks or by Embind's conversions.
  assert.equal(kindOf(() => trainer.train(0)), 'argument');
  assert.equal(kindOf(() => engine.createTrainer(sentences, 'small')), 'argument');
  assert.equal(kindOf(() => engine.loadModel('not bytes')), 'argument');
  const sampler = trainer.sampler();
  assert.equal(kindOf(() => sampler.prime(42)), 'argument');
  // Objects that cannot take the call now.
  sampler.dispose();
  assert.equal(kindOf(() => sampler.next(1)), 'usage');
  trainer.dispose();
  assert.equal(kindOf(() => trainer.train(1)), 'usage');
  assert.match((() => { try { trainer.sample(); } catch (e) { return e.message; } })(), /trainer was disposed/);
});

// A trap is the engine's crash, not the caller's error: it reaches the caller as itself. The
// module has no way to trap on purpose, so: a real trap (an `unreachable`) through the wrapper
// every engine call takes, and a real crash of the engine itself, its stack exhausted mid-call.
test('a WebAssembly trap passes through the API as itself, not as a CharRnnError', async () => {
  const { callEngine } = await import(path.join(wasmDir, 'errors.js'));
  // (module (func (export "trap") unreachable))
  const trapModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
    7, 8, 1, 4, 116, 114, 97, 112, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
  const { instance } = await WebAssembly.instantiate(trapModule);
  assert.throws(() => callEngine(() => instance.exports.trap()), (e) => {
    assert.ok(e instanceof WebAssembly.RuntimeError, `${e?.constructor?.name}: ${e?.message}`);
    assert.ok(!(e instanceof api.CharRnnError));
    assert.equal(api.isCrash(e), true);
    return true;
  });
});

test('the engine running out of stack mid-call is a crash, not a CharRnnError', async () => {
  // A fresh engine: after a crash its memory cannot be trusted.
  const doomed = await api.load();
  const trainer = doomed.createTrainer(sentences, small, smallTrain);
  // Recurse until the stack is full, then call train() at each level on the way back up: the
  // deepest calls overflow in the API's JavaScript, the next ones inside the engine's WebAssembly
  // (each level up frees less stack than train() needs there), until a call returns or the engine,
  // left mid-step by the crash, refuses to go on.
  const thrown = [];
  let done = false;
  const dive = () => {
    try { dive(); } catch { /* the stack is full below here */ }
    if (done) return;
    try {
      trainer.train(1);
      done = true;
    } catch (e) {
      thrown.push(e); // nothing more here: this frame has next to no stack left
      done = !(e instanceof RangeError);
    }
  };
  dive();
  // The first call that did not overflow in JavaScript alone overflowed inside the engine.
  const inEngine = (e) => /\n\s+at wasm:\/\//.test(e?.stack ?? '');
  const crash = thrown.find((e) => !(e instanceof RangeError && !inEngine(e)));
  assert.ok(crash, `no call overflowed inside the engine (${thrown.length} overflowed in JavaScript)`);
  assert.ok(crash instanceof RangeError && inEngine(crash),
    `expected the engine's stack overflow, got ${crash?.constructor?.name}: ${crash?.message}`);
  assert.ok(!(crash instanceof api.CharRnnError));
  assert.equal(api.isCrash(crash), true);
});

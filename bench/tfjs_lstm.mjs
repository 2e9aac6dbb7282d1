#!/usr/bin/env node
// TensorFlow.js char-LSTM training-speed benchmark (comparison baseline).
//
// Model: one-hot(V) -> Dense(embed, no bias) [acts as the embedding; the tfjs
// WASM backend has no gradient kernel for tf.layers.embedding] -> `layers` x
// LSTM(hidden, returnSequences) -> Dense(V, softmax) applied per time step.
// Loss: categorical cross-entropy. Optimizer: RMSProp(lr 2e-3).
// Data: B random windows of T+1 characters from the first 90% of the text.
//
// Usage (from the repo root):
//   node bench/tfjs_lstm.mjs --layers 2 --hidden 128 --batch 32 --seq 50 \
//     --embed 32 --runs 5 --warmup 2 --steps 3 [--backend wasm|cpu] \
//     [--text ../shared/data/tinyshakespeare.txt] [--lr 2e-3] [--seed 1234]
//
// stdout: exactly one JSON line
//   {"name","engine","chars_per_sec","runs","loss","config"}
// Everything else (progress, tfjs chatter) goes to stderr.
//
// Setup: (cd bench && npm ci)

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { SHAKESPEARE, median, parseOptions, printResult, runMain } from './lib.mjs';

// Keep stdout clean: route console.log/info (used by tfjs for its banners)
// to stderr. The final JSON is written with process.stdout.write.
console.log = (...a) => console.error(...a);
console.info = (...a) => console.error(...a);

const require = createRequire(import.meta.url);

const USAGE = `usage: node bench/tfjs_lstm.mjs [options]
  --layers N     stacked LSTM layers            (default 2)
  --hidden N     LSTM units per layer           (default 128)
  --batch N      batch size B                   (default 32)
  --seq N        unroll length T                (default 50)
  --embed N      embedding width                (default 32)
  --runs N       timed runs                     (default 5)
  --warmup N     untimed warmup steps           (default 2)
  --steps N      training steps per timed run   (default 3)
  --seconds X    instead: as many steps per run as fill X seconds,
                 measured on the last warm-up step (default 0: use --steps)
  --lr X         RMSProp learning rate          (default 2e-3)
  --seed N       RNG seed for weights/batches   (default 1234)
  --backend B    wasm | cpu                     (default wasm)
  --gate-act A   LSTM gate activation: sigmoid (the engine's, default) or
                 hardSigmoid (tfjs-layers' own default, cheaper)
  --text PATH    training text (default <repo>/../shared/data/tinyshakespeare.txt;
                 relative paths resolve against the current directory)`;

function options() {
  const { o, fail } = parseOptions(import.meta.url, USAGE, { defaults: {
    layers: 2, hidden: 128, batch: 32, seq: 50, embed: 32,
    runs: 5, warmup: 2, steps: 3, seconds: 0, lr: 2e-3, seed: 1234,
    backend: 'wasm', 'gate-act': 'sigmoid', text: SHAKESPEARE,
  } });
  o.text = path.resolve(o.text);
  for (const k of ['layers', 'hidden', 'batch', 'seq', 'embed', 'runs', 'warmup', 'steps', 'seed']) {
    if (!Number.isInteger(o[k]) || o[k] < 0) fail(`--${k} needs a non-negative integer`);
  }
  for (const k of ['lr', 'seconds']) if (!(o[k] >= 0)) fail(`--${k} needs a non-negative number`);
  if (!['sigmoid', 'hardSigmoid'].includes(o['gate-act'])) fail('--gate-act must be sigmoid or hardSigmoid');
  if (!['wasm', 'cpu'].includes(o.backend)) fail('--backend must be wasm or cpu');
  for (const k of ['layers', 'hidden', 'batch', 'seq', 'embed', 'runs', 'steps']) if (o[k] < 1) fail(`--${k} must be >= 1`);
  return o;
}

// Small deterministic PRNG (mulberry32) for batch sampling.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


async function main() {
  const opt = options();

  // --- data ---------------------------------------------------------------
  const text = readFileSync(opt.text, 'utf8');
  const chars = Array.from(new Set(Array.from(text))).sort();
  const V = chars.length;
  const stoi = new Map(chars.map((c, i) => [c, i]));
  const codes = Array.from(text);
  const ids = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) ids[i] = stoi.get(codes[i]);
  const nTrain = Math.floor(ids.length * 0.9);
  const B = opt.batch, T = opt.seq;
  if (nTrain < T + 2) throw new Error(`text too short (${ids.length} chars) for --seq ${T}`);
  console.error(`text: ${opt.text} (${ids.length} chars, vocab ${V}, train ${nTrain})`);

  // --- tfjs setup ---------------------------------------------------------
  const tf = require('@tensorflow/tfjs');
  let engine;
  let wasmInfo = null;
  if (opt.backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
    wasm.setWasmPaths(wasmDir);
    // One thread (Node builds never use the threaded binary anyway).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (typeof wasm.setThreadsCount === 'function') wasm.setThreadsCount(1);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('failed to initialise the tfjs wasm backend');
    await tf.ready();
    wasmInfo = {
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
      threads: typeof wasm.getThreadsCount === 'function' ? wasm.getThreadsCount() : 1,
      wasm_dir: wasmDir,
    };
    engine = 'tfjs-wasm';
  } else {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('failed to initialise the tfjs cpu backend');
    await tf.ready();
    engine = 'tfjs-cpu';
  }
  console.error(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}` +
    (wasmInfo ? `, simd=${wasmInfo.simd}, threads=${wasmInfo.threads}` : ''));

  // --- model --------------------------------------------------------------
  const tModel = performance.now();
  let seed = opt.seed;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [T, V], units: opt.embed, useBias: false,
    kernelInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed++ }),
    name: 'embed',
  }));
  for (let l = 0; l < opt.layers; l++) {
    model.add(tf.layers.lstm({
      units: opt.hidden, returnSequences: true,
      recurrentActivation: opt['gate-act'],
      kernelInitializer: init(),
      // Not Keras' default orthogonal: tfjs computes it with a JS Gram-Schmidt
      // QR that takes ~1 min per 512x2048 matrix. Irrelevant for step speed.
      recurrentInitializer: init(),
      name: `lstm${l}`,
    }));
  }
  model.add(tf.layers.timeDistributed({
    layer: tf.layers.dense({ units: V, activation: 'softmax', kernelInitializer: init() }),
    name: 'out',
  }));
  const optimizer = tf.train.rmsprop(opt.lr);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const params = model.countParams();
  console.error(`model: ${params} params (built in ${((performance.now() - tModel) / 1000).toFixed(2)} s)`);

  // --- batches ------------------------------------------------------------
  const rng = mulberry32(opt.seed ^ 0x9E3779B9);
  const xIdx = new Int32Array(B * T);
  const yIdx = new Int32Array(B * T);
  function makeBatch() {
    for (let b = 0; b < B; b++) {
      const s = Math.floor(rng() * (nTrain - T)); // window [s, s+T] inside the first 90%
      for (let t = 0; t < T; t++) {
        xIdx[b * T + t] = ids[s + t];
        yIdx[b * T + t] = ids[s + t + 1];
      }
    }
    return tf.tidy(() => [
      tf.oneHot(tf.tensor2d(xIdx, [B, T], 'int32'), V).toFloat(),
      tf.oneHot(tf.tensor2d(yIdx, [B, T], 'int32'), V).toFloat(),
    ]);
  }

  let lastLoss = NaN;
  async function step() {
    const [x, y] = makeBatch();
    const l = await model.trainOnBatch(x, y); // resolves after reading the loss => synchronised
    tf.dispose([x, y]);
    lastLoss = Array.isArray(l) ? l[0] : l;
    return lastLoss;
  }

  // --- warmup -------------------------------------------------------------
  const tw = performance.now();
  let lastWarmSec = 0;
  for (let i = 0; i < opt.warmup; i++) {
    const t1 = performance.now();
    const l = await step();
    lastWarmSec = (performance.now() - t1) / 1000;
    console.error(`warmup ${i + 1}/${opt.warmup}: loss ${l.toFixed(4)}, ${lastWarmSec.toFixed(3)} s`);
  }
  if (opt.warmup) console.error(`warmup took ${((performance.now() - tw) / 1000).toFixed(2)} s`);
  if (opt.seconds > 0 && opt.warmup > 0) {
    // Sized on the last warm-up step (the first one also builds the graph and compiles kernels).
    opt.steps = Math.max(1, Math.round(opt.seconds / lastWarmSec));
    console.error(`${opt.steps} steps per timed run`);
  }

  // --- timed runs ---------------------------------------------------------
  const runs = [];
  for (let r = 0; r < opt.runs; r++) {
    const t0 = performance.now();
    for (let s = 0; s < opt.steps; s++) await step();
    const sec = (performance.now() - t0) / 1000;
    const cps = (B * T * opt.steps) / sec;
    runs.push(cps);
    console.error(`run ${r + 1}/${opt.runs}: ${sec.toFixed(3)} s, ${cps.toFixed(1)} chars/s, loss ${lastLoss.toFixed(4)}, tensors ${tf.memory().numTensors}`);
  }

  const result = {
    name: `lstm-${opt.layers}x${opt.hidden}-b${B}-t${T}`,
    engine,
    chars_per_sec: median(runs),
    runs,
    loss: lastLoss,
    config: {
      layers: opt.layers, hidden: opt.hidden, batch: B, seq: T, embed: opt.embed,
      vocab: V, params, runs: opt.runs, warmup: opt.warmup, steps: opt.steps,
      optimizer: 'rmsprop', lr: opt.lr, loss: 'categorical_crossentropy',
      gate_activation: opt['gate-act'],
      init: 'glorot_uniform (incl. recurrent), embed U(-0.1,0.1)',
      input: 'one-hot + dense(no bias) embedding', seed: opt.seed,
      backend: tf.getBackend(), tfjs: tf.version.tfjs,
      ...(wasmInfo ? { wasm_simd: wasmInfo.simd, threads: wasmInfo.threads } : { threads: 1 }),
      node: process.version,
      text: opt.text, text_chars: ids.length, train_chars: nTrain,
    },
  };
  printResult(result);
}

runMain(main);

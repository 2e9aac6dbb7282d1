#!/usr/bin/env node
// The WASM engine of the benchmark: the page's engine (build/wasm/charrnn.js, single thread)
// under Node, timed on one configuration through the public JS API. Prints exactly one JSON line:
//   {"name","engine":"wasm","chars_per_sec","runs","sample_chars_per_sec","sample_runs",
//    "wasm_heap_bytes","loss","config"}
// wasm_heap_bytes is the byte length of the module's WebAssembly.Memory after the run: WASM
// memory only grows, so this is the peak heap of the configuration (training plus sampling).
//
// By hand (bench/run runs it interleaved with the other engines):
//   node bench/wasm_bench.mjs --name lstm-2x128-b32-t50 [--build build/wasm] [--runs 5]
//     [--seconds 1] [--warmup-seconds 0.5] [--sample 1] [--text ../shared/data/tinyshakespeare.txt]
//     [--threads N]
//
// --threads N splits each batch into N shards, shards 2..N in helper workers (worker_threads, one
// WASM instance each: the page's Web Worker path, wasm_bindings/shard_helpers.js); sampling is
// measured at one thread only (it is one stream), and wasm_heap_bytes counts this thread's instance.
//
// Timing mirrors bench/native_bench.cpp: warm-up steps (which also measure the step time), then
// --runs timed runs of as many steps as fill --seconds each; train(steps) is one JS call per run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { parseConfigName } from './configs.mjs';
import { REPO, SHAKESPEARE, loadEngine, median, parseOptions, printResult, runMain } from './lib.mjs';

function options() {
  return parseOptions(import.meta.url, 'usage: node bench/wasm_bench.mjs --name CONFIG [--build DIR] [--runs 5] [--seconds 1] ' +
    '[--warmup 2] [--warmup-seconds 0.5] [--sample 1] [--embed 32] [--threads N] [--text FILE]', { defaults: {
    name: 'lstm-2x128-b32-t50', build: path.join(REPO, 'build', 'wasm'), runs: 5, seconds: 1,
    warmup: 2, 'warmup-seconds': 0.5, sample: 1, embed: 32, threads: 1, text: SHAKESPEARE,
  } }).o;
}


// Finds the module's memory without touching the API: every instance created from here on is
// remembered, and its exported WebAssembly.Memory read at the end.
const instances = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const result = await instantiate.apply(this, args);
  instances.push(result.instance ?? result);
  return result;
};
function wasmHeapBytes() {
  let bytes = 0;
  for (const inst of instances) {
    for (const e of Object.values(inst.exports)) if (e instanceof WebAssembly.Memory) bytes += e.buffer.byteLength;
  }
  return bytes;
}

async function main() {
  const o = options();
  const cfg = parseConfigName(o.name);
  const text = readFileSync(o.text, 'utf8');
  const charrnn = await loadEngine(o.build);
  const model = { cell: cfg.cell, layers: cfg.layers, hiddenSize: cfg.hidden, embedSize: o.embed };
  const train = { batchSize: cfg.batch, seqLen: cfg.seq };
  const trainer = charrnn.createTrainer(text, model, train, { threads: o.threads });
  const charsPerStep = cfg.batch * cfg.seq;
  await trainer.helpersReady();
  if (trainer.helperThreads !== o.threads - 1) throw new Error(`wasm_bench: ${o.threads - 1} helper workers did not start`);
  const trainSteps = async (n) => (o.threads > 1 ? trainer.trainInParallel(n) : trainer.train(n));

  let warm = 0;
  const tw = performance.now();
  while (warm < o.warmup || performance.now() - tw < o['warmup-seconds'] * 1000) {
    await trainSteps(1);
    warm++;
  }
  const stepSec = (performance.now() - tw) / 1000 / warm;
  const steps = Math.max(1, Math.round(o.seconds / stepSec));

  const runs = [];
  let loss = NaN;
  const timing = { steps: 0, sendMs: 0, ownShardMs: 0, waitMs: 0, finishMs: 0 };
  for (let r = 0; r < o.runs; r++) {
    const t0 = performance.now();
    const summary = await trainSteps(steps);
    loss = summary.loss;
    if (summary.timing) {
      timing.steps += summary.steps;
      for (const k of ['sendMs', 'ownShardMs', 'waitMs', 'finishMs']) timing[k] += summary.timing[k];
    }
    const sec = (performance.now() - t0) / 1000;
    runs.push((charsPerStep * steps) / sec);
    console.error(`wasm ${o.name} run ${r + 1}/${o.runs}: ${steps} steps, ${sec.toFixed(3)} s, ` +
      `${runs.at(-1).toFixed(0)} chars/s, loss ${loss.toFixed(4)}`);
  }

  const result = { name: o.name, engine: 'wasm', threads: o.threads, chars_per_sec: median(runs), runs };
  // With helpers: ms per step spent sending (copies out of WASM memory, postMessage), on this
  // thread's own shard, waiting for the helpers beyond that, and on reading results in + the update.
  if (timing.steps) {
    result.ms_per_step = Object.fromEntries(['sendMs', 'ownShardMs', 'waitMs', 'finishMs']
      .map((k) => [k.replace('Ms', '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), +(timing[k] / timing.steps).toFixed(2)]));
  }
  if (o.sample && o.threads === 1) {
    // One stream, as the page samples: next(n) returns n characters per JS call.
    const sampler = trainer.sampler({ temperature: 1 });
    sampler.prime('ROMEO:');
    const chunk = 256;
    let calls = 1;
    let t0 = performance.now();
    sampler.next(chunk);
    for (;;) {
      const sec = (performance.now() - t0) / 1000;
      if (sec >= Math.min(o['warmup-seconds'], 0.25)) {
        calls = Math.max(1, Math.round((calls * o.seconds) / sec));
        break;
      }
      calls *= 2;
      t0 = performance.now();
      for (let i = 0; i < calls; i++) sampler.next(chunk);
    }
    const sampleRuns = [];
    for (let r = 0; r < o.runs; r++) {
      const ts = performance.now();
      for (let i = 0; i < calls; i++) sampler.next(chunk);
      sampleRuns.push((calls * chunk) / ((performance.now() - ts) / 1000));
      console.error(`wasm ${o.name} sample run ${r + 1}/${o.runs}: ${sampleRuns.at(-1).toFixed(0)} chars/s`);
    }
    sampler.dispose();
    result.sample_chars_per_sec = median(sampleRuns);
    result.sample_runs = sampleRuns;
  }
  result.wasm_heap_bytes = wasmHeapBytes();
  result.loss = loss;
  result.config = {
    ...cfg, embed: o.embed, vocab: trainer.vocab.length, params: trainer.parameters, steps_per_run: steps,
    optimizer: trainer.trainConfig.optimizer, lr: trainer.trainConfig.learningRate, node: process.version,
  };
  trainer.dispose();
  printResult(result);
}

runMain(main);

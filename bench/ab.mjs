#!/usr/bin/env node
// A/B of WASM builds in one process: loads each build's charrnn.js, makes one trainer per build on
// the same configuration, then alternates short timed runs (A B C .. A B C ..) and reports each
// build's median and the median of the paired ratios to the first build. A development tool for
// measuring one lever at a time on a busy machine (pairs taken back to back share the noise).
//
//   node bench/ab.mjs [--name lstm-2x128-b32-t50] [--rounds 12] [--seconds 0.5] [--sample 0|1] DIR_A DIR_B ...
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

import { parseConfigName } from './configs.mjs';
import { REPO, SHAKESPEARE, median, parseOptions, printResult } from './lib.mjs';

const { o, positionals, fail } = parseOptions(import.meta.url,
  'usage: node bench/ab.mjs [--name lstm-2x128-b32-t50] [--rounds 12] [--seconds 0.5] [--sample 0|1] DIR_A DIR_B ...',
  { defaults: { name: 'lstm-2x128-b32-t50', rounds: 12, seconds: 0.5, sample: 0 }, positionals: true });
o.dirs = positionals.map((d) => path.resolve(d));
if (!o.dirs.length) fail('name at least one build directory');

const cfg = parseConfigName(o.name);
const text = readFileSync(SHAKESPEARE, 'utf8');
const engines = [];
for (const dir of o.dirs) {
  const { load } = await import(pathToFileURL(path.join(dir, 'charrnn.js')).href);
  const charrnn = await load();
  const trainer = charrnn.createTrainer(text, { cell: cfg.cell, layers: cfg.layers, hiddenSize: cfg.hidden, embedSize: 32 },
    { batchSize: cfg.batch, seqLen: cfg.seq });
  const sampler = trainer.sampler({ temperature: 1 });
  sampler.prime('ROMEO:');
  engines.push({ dir, trainer, sampler, runs: [], ratios: [] });
}
const chars = cfg.batch * cfg.seq;
// Warm up and size: steps per run from the first build's speed.
for (const e of engines) e.trainer.train(2);
const t0 = performance.now();
engines[0].trainer.train(2);
const steps = Math.max(1, Math.round(o.seconds / ((performance.now() - t0) / 2000)));
const sampleChars = 4096;
for (let r = 0; r < o.rounds; r++) {
  const order = engines.map((_, i) => engines[(i + r) % engines.length]);
  for (const e of order) {
    const ts = performance.now();
    if (o.sample) e.sampler.next(sampleChars);
    else e.trainer.train(steps);
    const sec = (performance.now() - ts) / 1000;
    e.runs.push((o.sample ? sampleChars : chars * steps) / sec);
  }
  for (const e of engines) e.ratios.push(e.runs.at(-1) / engines[0].runs.at(-1));
}
for (const e of engines) {
  printResult({ build: path.relative(REPO, e.dir), name: o.name, what: o.sample ? 'sample' : 'train',
    median: Math.round(median(e.runs)), best: Math.round(Math.max(...e.runs)), ratio_to_first: +median(e.ratios).toFixed(3) });
}

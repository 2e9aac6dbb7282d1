#!/usr/bin/env node
// Turns bench/run's JSON lines (stdin) into the README's markdown tables:
//   bench/run | tee bench/results/latest.jsonl | node bench/table.mjs
import { readFileSync } from 'node:fs';

const lines = readFileSync(0, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const fmt = (x) => (x === undefined || x === null ? '–' : Math.round(x).toLocaleString('en-US'));
const mib = (b) => (b === undefined ? '–' : `${(b / 1048576).toFixed(0)} MiB`);

const byName = new Map();
for (const l of lines) {
  if (l.name.endsWith('time-to-quality')) continue;
  if (!byName.has(l.name)) byName.set(l.name, {});
  byName.get(l.name)[l.threads > 1 ? `${l.engine}@${l.threads}` : l.engine] = l;
}
const rows = [
  '| configuration | native | native-sse | wasm | tfjs-wasm | wasm / native | wasm / native-sse | wasm / tfjs | native sampling | wasm sampling | wasm heap |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const [name, e] of byName) {
  const w = e.wasm ?? {};
  rows.push(`| \`${name}\` | ${fmt(e.native?.chars_per_sec)} | ${fmt(e['native-sse']?.chars_per_sec)} | ` +
    `${fmt(w.chars_per_sec)} | ${fmt(e['tfjs-wasm']?.chars_per_sec)} | ` +
    `${w.vs_native?.toFixed(2) ?? '–'} | ${w.vs_native_sse?.toFixed(2) ?? '–'} | ${w.vs_tfjs_wasm ? `${w.vs_tfjs_wasm.toFixed(1)}x` : '–'} | ` +
    `${fmt(e.native?.sample_chars_per_sec)} | ${fmt(w.sample_chars_per_sec)} | ${mib(w.wasm_heap_bytes)} |`);
}
console.log(rows.join('\n'));

// Threads (bench/run --threads 1,2): the native engines at each thread count beside one thread.
const threaded = lines.filter((l) => l.threads > 1);
if (threaded.length) {
  console.log('\n| configuration | engine | threads | chars/s | 1 thread | speedup |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const l of threaded) {
    const one = byName.get(l.name)?.[l.engine];
    console.log(`| \`${l.name}\` | ${l.engine} | ${l.threads} | ${fmt(l.chars_per_sec)} | ${fmt(one?.chars_per_sec)} | ` +
      `${l.vs_1_thread ? `${l.vs_1_thread.toFixed(2)}x` : '–'} |`);
  }
}

const ttq = lines.find((l) => l.name === 'time-to-quality');
if (ttq) {
  const m = ttq.config.model;
  const t = ttq.config.train;
  console.log(`\nTime to quality (${m.cell} ${m.layers}x${m.hiddenSize}, embed ${m.embedSize}, dropout ${m.dropout}, ` +
    `batch ${t.batchSize}, seq ${t.seqLen}, ${t.optimizer} lr ${Number(t.learningRate.toPrecision(3))}, ` +
    `lr x${Number(t.lrDecay.toPrecision(3))} every ${t.lrDecayEvery} steps; ` +
    `WASM at ${fmt(ttq.chars_per_sec)} chars/s):\n`);
  console.log('| training minutes | ' + ttq.checkpoints.map((c) => c.minutes).join(' | ') + ' |');
  console.log('|---|' + ttq.checkpoints.map(() => '---:').join('|') + '|');
  console.log('| validation loss (nats/char) | ' + ttq.checkpoints.map((c) => c.val_loss.toFixed(3)).join(' | ') + ' |');
  console.log('| epochs | ' + ttq.checkpoints.map((c) => c.epoch.toFixed(1)).join(' | ') + ' |');
}

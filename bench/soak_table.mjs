#!/usr/bin/env node
// The soak's per-minute lines (bench/results/soak.jsonl, from bench/soak.mjs) as the README's
// Markdown table: every --every minutes (default 10), the end of the warm-up and the last minute.
//
//   node bench/soak_table.mjs [--every 10] [bench/results/soak.jsonl]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { splitLongTasks } from './soak_long_tasks.mjs';

const args = process.argv.slice(2);
let every = 10;
let file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'soak.jsonl');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--every') every = Number(args[++i]);
  else file = args[i];
}
const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const rows = lines.filter((l) => l.minute !== undefined);
const last = rows.at(-1)?.minute;
const warmup = lines.find((l) => l.name === 'soak')?.warmup_minutes;
// The measurement's own long tasks (during its forced collection and snapshot) are not shown.
const pageLongTasks = splitLongTasks(rows).page;
const shown = (m) => m % every === 0 || m === last || m === warmup;
const fmt = (x, d) => (x == null ? '–' : x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d }));
const out = [
  '| minute | JS heap MiB (after GC) | of it: V8 compiled code | of it: the page\'s data | WASM MiB | browser RSS MiB | iteration | val. loss | longest report gap ms | long tasks | load |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of rows) {
  if (!shown(r.minute)) continue;
  // Gaps and long tasks: over the minutes since the previous row of the table.
  const prev = rows.filter((x) => x.minute < r.minute && shown(x.minute)).at(-1)?.minute ?? 0;
  const span = rows.filter((x) => x.minute > prev && x.minute <= r.minute);
  const gap = r.minute === 0 ? null : Math.max(...span.map((x) => x.report_gap_ms));
  const tasks = r.minute === 0 ? null : pageLongTasks.filter((t) => t.minute > prev && t.minute <= r.minute).length;
  out.push(`| ${r.minute} | ${fmt(r.heap_gc_mib, 2)} | ${fmt(r.heap_code_mib, 2)} | ${fmt(r.heap_data_mib, 2)} | ${fmt(r.wasm_mib, 1)} | ${fmt(r.rss_mib, 0)} | ${fmt(r.iteration, 0)} | ` +
    `${r.val_loss == null ? '–' : r.val_loss.toFixed(3)} | ${fmt(gap, 0)} | ${fmt(tasks, 0)} | ${fmt(r.load1, 1)} |`);
}
process.stdout.write(out.join('\n') + '\n');

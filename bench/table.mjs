#!/usr/bin/env node
// Every table of figures in the docs, written from the raw lines in bench/results/*.jsonl.
// A table sits in a Markdown file between `<!-- table:NAME -->` and `<!-- /table:NAME -->`, each
// marker alone on its line; what is between them belongs to this script.
//
//   node bench/table.mjs --write          rewrite every table in place
//   node bench/table.mjs --check          exit 1 naming each table that differs from its results
//   node bench/table.mjs --print NAME     print one table (e.g. soak)
//   bench/run | node bench/table.mjs      the engine tables of bench/run's lines on stdin
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { REPO, RESULTS, parseOptions } from './lib.mjs';
import { splitLongTasks } from './soak_long_tasks.mjs';

const readLines = (text) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const results = (file) => readLines(fs.readFileSync(path.join(RESULTS, file), 'utf8'));

// Half away from zero on the decimal figure a reader sees (1.795 is 1.80, though 1.795 * 100 is 179.4999…).
const round = (x, d) => Math.sign(x) * Math.round(Math.abs(x) * 10 ** d + 1e-9) / 10 ** d;
const int = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const fixed = (x, d) => (x == null ? '–' : round(x, d).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const loss = (x) => (x == null ? '–' : round(x, 3).toFixed(3));
const ratio = (x) => (x == null ? '–' : `${round(x, 2).toFixed(2)}x`);
const percent = (x) => `${round(x * 100, 1)}%`;
const millions = (chars) => `${Number((chars / 1e6).toFixed(2))} M`;
const table = (header, align, rows) =>
  [`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// bench/run's lines: per configuration, the engines side by side.
function enginesTable(lines) {
  const byName = new Map();
  for (const l of lines) {
    if (l.name.endsWith('time-to-quality') || l.threads > 1) continue;
    if (!byName.has(l.name)) byName.set(l.name, {});
    byName.get(l.name)[l.engine] = l;
  }
  const rows = [...byName].map(([name, e]) => {
    const w = e.wasm ?? {};
    return [`\`${name}\``, int(e.native?.chars_per_sec), int(e['native-sse']?.chars_per_sec), int(w.chars_per_sec),
      int(e['tfjs-wasm']?.chars_per_sec), w.vs_native?.toFixed(2) ?? '–', w.vs_native_sse?.toFixed(2) ?? '–',
      w.vs_tfjs_wasm ? `${w.vs_tfjs_wasm.toFixed(1)}x` : '–', int(e.native?.sample_chars_per_sec),
      int(w.sample_chars_per_sec), w.wasm_heap_bytes === undefined ? '–' : `${(w.wasm_heap_bytes / 1048576).toFixed(0)} MiB`];
  });
  return table(['configuration', 'native', 'native-sse', 'wasm', 'tfjs-wasm', 'wasm / native', 'wasm / native-sse',
    'wasm / tfjs', 'native sampling', 'wasm sampling', 'wasm heap'], ['l', ...Array(10).fill('r')], rows);
}

// bench/run --threads 1,2 on stdin: each thread count beside one thread.
function threadedTable(lines) {
  const threaded = lines.filter((l) => l.threads > 1);
  if (!threaded.length) return null;
  const one = (l) => lines.find((x) => x.name === l.name && x.engine === l.engine && !(x.threads > 1));
  return table(['configuration', 'engine', 'threads', 'chars/s', '1 thread', 'speedup'], ['l', 'l', 'r', 'r', 'r', 'r'],
    threaded.map((l) => [`\`${l.name}\``, l.engine, l.threads, int(l.chars_per_sec), int(one(l)?.chars_per_sec),
      ratio(l.vs_1_thread)]));
}

function ttqTable(ttq) {
  const cps = ttq.checkpoints;
  return table(['training minutes', ...cps.map((c) => c.minutes)], ['l', ...cps.map(() => 'r')], [
    ['validation loss', ...cps.map((c) => loss(c.val_loss))],
    ['epochs', ...cps.map((c) => c.epoch.toFixed(1))],
  ]);
}

// Settings compared natively at the characters two threads give the page in 3 and 10 minutes
// (the -29k runs: 5.13 M and 16.5 M). A larger model is shown at the characters it affords for
// the same time (its checkpoint at or below target / cost), as is a setting without a run there,
// except the one-thread default, interpolated linearly in characters between its nearest runs (≈).
const TTQ_TARGETS = [5129600, 16499200];
const TTQ_ROWS = [
  { text: 'dropout 0.1, × 0.95 every 250 (the one-thread default)',
    labels: ['g2x192-adam3e-3-decay-d0.1', 'g2x192-adam3e-3-decay250-d0.1-2threads'], interpolate: true },
  { text: 'dropout 0.1, × 0.9 every 250', labels: ['g2x192-adam3e-3-decay.9-d0.1-2threads-29k'] },
  { text: '**dropout 0.05, × 0.9 every 250 (the default now)**', labels: ['g2x192-adam3e-3-decay.9-d0.05-2threads-29k'], bold: true },
  { text: 'dropout 0.15, × 0.95 every 300', labels: ['g2x192-adam3e-3-decay300-d0.15-2threads'] },
  { text: 'batch 64, 0.004, × 0.95 every 125', labels: ['g2x192-b64-adam4e-3-decay125-d0.1-2threads'] },
  { text: '3×160 (≈1.15x the cost per character)', labels: ['g3x160-adam3e-3-decay250-d0.1-2threads'], cost: 1.15 },
  { text: '2×256, dropout 0.2 (≈1.7x the cost per character)', labels: ['g2x256-adam3e-3-decay250-d0.2-2threads'], cost: 1.7 },
];
function ttqSettingsTable() {
  const all = results('ttq_exploration.jsonl');
  const cell = (row, target) => {
    const runs = all.filter((r) => row.labels.includes(r.label)).sort((a, b) => a.chars - b.chars);
    const exact = runs.find((r) => Math.abs(r.chars - target) < 1000);
    const text = (x) => (row.bold ? `**${x}**` : x);
    if (exact) return text(loss(exact.val_loss));
    if (row.cost) {
      const at = runs.filter((r) => r.chars <= target / row.cost).at(-1);
      return `${loss(at.val_loss)} (at ${millions(at.chars)})`;
    }
    const below = runs.filter((r) => r.chars < target).at(-1);
    const above = runs.find((r) => r.chars > target);
    if (row.interpolate && below && above) {
      const f = (target - below.chars) / (above.chars - below.chars);
      return `≈${loss(below.val_loss + f * (above.val_loss - below.val_loss))}`;
    }
    const at = runs.filter((r) => r.chars <= target).at(-1);
    return `${loss(at.val_loss)} (at ${millions(at.chars)})`;
  };
  return table(['GRU 2×192, Adam 0.003', `3 min (${millions(TTQ_TARGETS[0])} chars)`, `10 min (${millions(TTQ_TARGETS[1])})`],
    ['l', 'r', 'r'], TTQ_ROWS.map((row) => [row.text, ...TTQ_TARGETS.map((t) => cell(row, t))]));
}

function pageTtqTable() {
  const rows = results('page_ttq.jsonl').filter((r) => !r.budget_minutes).map((r) => [r.date, r.settings.threads ?? '1', r.settings.dropout,
    `× ${r.settings['lr-decay']} every ${r.settings['lr-decay-every']}`, `${int(r.first_step_ms)} ms`,
    int(r.chars_per_sec_shown), loss(r.val_loss_3min), loss(r.val_loss_10min)]);
  return table(['date', 'threads', 'dropout', 'learning-rate decay', 'first step', 'chars/s shown', '3 minutes', '10 minutes'],
    ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'r'], rows);
}

// Train for: the page trained for each budget as a visitor does (bench/run page-time-to-quality
// --minutes 3,10,60), the validation loss when it paused at the budget's end, against issue 25's targets.
const BUDGET_TARGETS = { 3: 1.50, 10: 1.45, 60: 1.40 };
const budgetName = (m) => (m === 60 ? '1 hour' : `${m} minutes`);
function pageBudgetsTable() {
  const rows = results('page_ttq.jsonl').filter((r) => r.budget_minutes).map((r) => [r.date, budgetName(r.budget_minutes),
    r.model.split(' · ')[0], String(r.threads), int(r.chars_per_sec_shown), fixed(r.trained_minutes, 1),
    `**${loss(r.val_loss)}**`, BUDGET_TARGETS[r.budget_minutes] ? `≤ ${BUDGET_TARGETS[r.budget_minutes].toFixed(2)}` : '–',
    r.load ?? 'quiet']);
  return table(['date', 'Train for', 'model (the recipe)', 'threads', 'chars/s shown', 'minutes trained',
    'validation loss', 'target', 'machine load'], ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'], rows);
}

// Threads: the newest day's figures side by side, the day before's ratio beside them.
const THREADS_NOTES = { 'gru-2x192-b32-t50': ' (the page\'s model)' };
function threadsTable() {
  const lines = results('threads.jsonl');
  const dates = [...new Set(lines.map((l) => l.date))].sort();
  const [before, today] = [dates.at(-2), dates.at(-1)];
  const ENGINES = [['native', 'native'], ['wasm', 'wasm (Node)'], ['wasm-page', 'wasm in the page']];
  const names = [...new Set(lines.map((l) => l.name))];
  const rows = [];
  for (const name of names) {
    for (const [engine, shown] of ENGINES) {
      const at = (date, threads) => lines.find((l) => l.name === name && l.engine === engine && l.date === date && l.threads === threads);
      const [one, two, old] = [at(today, 1), at(today, 2), at(before, 2)];
      if (!two && !old) continue;
      const shownRatio = (l) => (l?.shown_vs_1_thread ? `shown ${ratio(l.shown_vs_1_thread)}` : null);
      const now = two ? ratio(two.vs_1_thread) + (two.shown_chars_per_sec
        ? ` (shown: ${int(one.shown_chars_per_sec)} → ${int(two.shown_chars_per_sec)}, ${ratio(two.shown_vs_1_thread)})` : '') : '';
      const then = old ? ratio(old.vs_1_thread) + (shownRatio(old) ? ` (${shownRatio(old)})` : '') : '–';
      rows.push([`\`${name}\`${THREADS_NOTES[name] ?? ''}`, shown, one ? int(one.chars_per_sec) : '', two ? int(two.chars_per_sec) : '', now, then]);
    }
  }
  return table(['configuration', 'engine', '1 thread', '2 threads', `2 threads / 1 (${today})`, `on ${before}`],
    ['l', 'l', 'r', 'r', 'r', 'r'], rows);
}

function startupTable() {
  const range = (r) => `(${int(r[0])}–${int(r[1])})`;
  return table(['', 'cold', 'warm'], ['l', 'r', 'r'], results('startup.jsonl').map((r) => [r.variant,
    `${int(r.cold_first_step_ms)} ${range(r.cold_range_ms)}`, `${int(r.warm_first_step_ms)} ${range(r.warm_range_ms)}`]));
}

// The soak's minutes: every `every` minutes, the end of the warm-up and the last minute.
function soakTable({ every = 10 } = {}) {
  const lines = results('soak.jsonl');
  const rows = lines.filter((l) => l.minute !== undefined);
  const last = rows.at(-1)?.minute;
  const warmup = lines.find((l) => l.name === 'soak')?.warmup_minutes;
  // The measurement's own long tasks (during its forced collection and snapshot) are not shown.
  const pageLongTasks = splitLongTasks(rows).page;
  const shown = (m) => m % every === 0 || m === last || m === warmup;
  const out = [];
  for (const r of rows) {
    if (!shown(r.minute)) continue;
    // Gaps and long tasks: over the minutes since the previous row of the table.
    const prev = rows.filter((x) => x.minute < r.minute && shown(x.minute)).at(-1)?.minute ?? 0;
    const span = rows.filter((x) => x.minute > prev && x.minute <= r.minute);
    const gap = r.minute === 0 ? null : Math.max(...span.map((x) => x.report_gap_ms));
    const tasks = r.minute === 0 ? null : pageLongTasks.filter((t) => t.minute > prev && t.minute <= r.minute).length;
    out.push([r.minute, fixed(r.heap_gc_mib, 2), fixed(r.heap_code_mib, 2), fixed(r.heap_data_mib, 2), fixed(r.wasm_mib, 1),
      fixed(r.rss_mib, 0), fixed(r.iteration, 0), loss(r.val_loss), fixed(gap, 0), fixed(tasks, 0), fixed(r.load1, 1)]);
  }
  return table(['minute', 'JS heap MiB (after GC)', 'of it: V8 compiled code', 'of it: the page\'s data', 'WASM MiB',
    'browser RSS MiB', 'iteration', 'val. loss', 'longest report gap ms', 'long tasks', 'load'], Array(11).fill('r'), out);
}

function memoriseTable() {
  const [run] = results('memorise.jsonl');
  const cps = run.checkpoints;
  const names = fs.readFileSync(path.join(REPO, run.text), 'utf8').split('\n').filter(Boolean);
  const beginnings = new Set(names.map((n) => [...n].slice(0, cps[0].argmax_prefix_chars).join(''))).size;
  return table(['training minutes', ...cps.map((c) => c.minutes)], ['l', ...cps.map(() => 'r')], [
    ['iterations (epochs)', ...cps.map((c) => `${int(c.iteration)} (${Math.round(c.epoch)})`)],
    ['training loss, nats/char (mean since the column before)', ...cps.map((c) => loss(c.train_loss))],
    [`temperature 0.5: share of ${int(cps[0].t05_samples)} sampled lines that are training lines`, ...cps.map((c) => percent(c.t05_from_text))],
    ['… distinct training lines among them', ...cps.map((c) => int(c.t05_distinct_from_text))],
    [`argmax, primed with each name's first ${cps[0].argmax_prefix_chars} letters: share that are training lines`,
      ...cps.map((c) => percent(c.argmax_from_text))],
    [`… distinct training lines (of the list's ${beginnings} two-letter beginnings)`, ...cps.map((c) => int(c.argmax_distinct_from_text))],
  ]);
}

function torchVsCliTable() {
  const runs = results('torch_vs_cli.jsonl');
  const ENGINES = [['cli', '`charrnn train` (one thread)'], ['torch-1t', 'PyTorch, one process, one thread'],
    ['torch-2t', 'PyTorch, one process, two threads'], ['torch-ddp2', 'PyTorch DDP, two processes (gloo, batch 16 each)']];
  const load = (r) => r.load1 ?? r.load1_range.join('–');
  const groups = [...new Set(runs.map((r) => r.conditions))].map((c) => {
    const rs = runs.filter((r) => r.conditions === c);
    const rounds = new Set(rs.map((r) => r.round)).size;
    return { c, rs, title: `${c} (load ${load(rs[0])})${rounds > 1 ? `, ${rounds === 2 ? 'two' : rounds} rounds` : ''}` };
  });
  return table(['engine', ...groups.map((g) => g.title)], ['l', ...groups.map(() => 'r')],
    ENGINES.map(([engine, shown]) => [shown, ...groups.map((g) => {
      const rs = g.rs.filter((r) => r.engine === engine).sort((a, b) => a.round - b.round);
      return rs.length ? rs.map((r) => int(r.chars_per_sec)).join(', ') : '–';
    })]));
}

// bench/why_figures.mjs (bench/results/why.jsonl): the n-gram baselines, where the network's
// advantage falls, and the reach curves.
function whyNgramTable() {
  const rows = results('why.jsonl').filter((l) => l.figure === 'ngram').sort((a, b) => a.order - b.order);
  return table(['order', ...rows.map((r) => String(r.order))], ['l', ...rows.map(() => 'r')],
    [['validation loss, nats/char', ...rows.map((r) => loss(r.val_loss))]]);
}

function whyAdvantageTable() {
  const a = results('why.jsonl').find((l) => l.figure === 'advantage');
  return table(['the character comes right after', 'share of the characters', 'share of the advantage'], ['l', 'r', 'r'],
    a.by_context.map((c) => [c.after, c.chars ? `${fixed(c.text_share * 100, 1)}%` : 'none in the text', c.chars ? `${fixed(c.advantage_share * 100, 1)}%` : '–']));
}

function whyReachTable() {
  const DISTANCES = [1, 5, 10, 20, 50];
  const sci = (x) => (x >= 0.01 ? round(x, 3).toString() : x.toExponential(1));
  const rows = results('why.jsonl').filter((l) => l.figure === 'reach').map((r) => {
    const cell = /(rnn|lstm|gru)/.exec(r.model)[1];
    const below = r.by_distance.findIndex((x) => x < 0.01 * r.by_distance[0]) + 1;
    return { cell, steps: r.steps, cols: [cell, int(r.steps), loss(r.val_loss), ...DISTANCES.map((k) => sci(r.by_distance[k - 1])), below ? String(below) : `> ${r.by_distance.length}`] };
  }).sort((a, b) => a.steps - b.steps || a.cell.localeCompare(b.cell));
  return table(['cell', 'steps', 'val loss', ...DISTANCES.map((k) => `k=${k}`), 'under 1% of k=1 from k ='], ['l', 'r', 'r', ...DISTANCES.map(() => 'r'), 'r'],
    rows.map((r) => r.cols));
}

// bench/code_cells.mjs (bench/results/code_cells.jsonl): a code model's best unit for each text
// property, on held-out text of its corpus and on code it never saw; the latest run per model.
function codeCellsTable() {
  const lines = results('code_cells.jsonl');
  const latest = lines.filter((l) => l.model === lines.at(-1).model && l.date === lines.at(-1).date);
  const unit = (l) => `${l.layer}:${l.unit} ${l.state}`;
  const r = (x) => (x >= 0 ? '+' : '') + round(x, 3).toFixed(3);
  const props = [...new Set(latest.map((l) => l.property))];
  const held = (p) => latest.find((l) => l.property === p && l.text === 'validation');
  const unseen = (p) => latest.find((l) => l.property === p && l.text === 'compiler-rt');
  return table(['property', 'held-out musl: unit', 'r (spread over excerpts)', 'compiler-rt (never seen): unit', 'r'],
    ['l', 'l', 'r', 'l', 'r'], props.map((p) => {
      const h = held(p), u = unseen(p);
      return [p, h ? unit(h) : '–', h ? `${r(h.r)} (${r(h.r_min)} to ${r(h.r_max)})` : '–', u ? unit(u) : '–', u ? r(u.r) : '–'];
    }));
}

// bench/page_engines.mjs (bench/results/page_engines.jsonl): the page's chars/s in each browser
// engine with 1 and 2 threads, measured side by side in one run (the latest run).
function pageEnginesTable() {
  const lines = results('page_engines.jsonl');
  // The latest day's lines; of each engine and thread count, the last (each engine notes its own load).
  const run = lines.filter((l) => l.date === lines.at(-1).date);
  const engines = [...new Set(run.map((l) => l.engine))];
  const at = (e, t) => run.findLast((l) => l.engine === e && l.threads === t);
  return table(['engine', '1 thread, chars/s', '2 threads, chars/s', '2 threads / 1', 'load average', 'date'],
    ['l', 'r', 'r', 'r', 'r', 'l'], engines.map((e) => [e, int(at(e, 1)?.chars_per_sec), int(at(e, 2)?.chars_per_sec),
      ratio(at(e, 2)?.vs_1_thread), String(at(e, 1)?.load_average ?? '–'), at(e, 1)?.date ?? '–']));
}

export const TABLES = {
  engines: () => enginesTable(results('latest.jsonl')),
  'ttq-node': () => ttqTable(results('latest.jsonl').find((l) => l.name === 'time-to-quality')),
  'ttq-2threads': ttqSettingsTable,
  'page-ttq': pageTtqTable,
  'page-budgets': pageBudgetsTable,
  threads: threadsTable,
  startup: startupTable,
  soak: soakTable,
  memorise: memoriseTable,
  'torch-vs-cli': torchVsCliTable,
  'code-cells': codeCellsTable,
  'page-engines': pageEnginesTable,
  'why-ngram': whyNgramTable,
  'why-advantage': whyAdvantageTable,
  'why-reach': whyReachTable,
};

// The Markdown files that may hold tables: every .md of the repository outside build output.
export function markdownFiles(dir = REPO) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'build') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...markdownFiles(p));
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

const MARKED = /^<!-- table:([\w-]+) -->\n[\s\S]*?^<!-- \/table:\1 -->$/gm;

// Each file's text with its tables written from the results, and the tables that differed.
export function renderFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  const differs = [];
  const rendered = text.replace(MARKED, (block, name) => {
    if (!TABLES[name]) throw new Error(`${path.relative(REPO, file)}: unknown table "${name}" (known: ${Object.keys(TABLES).join(', ')})`);
    const fresh = `<!-- table:${name} -->\n${TABLES[name]()}\n<!-- /table:${name} -->`;
    if (fresh !== block) differs.push(name);
    return fresh;
  });
  return { text, rendered, differs };
}

function main() {
  const { o: values, fail } = parseOptions(import.meta.url, 'usage: node bench/table.mjs [--write | --check | --print NAME] [< lines]',
    { defaults: { print: undefined }, flags: ['write', 'check'] });
  if (values.print) {
    if (!TABLES[values.print]) fail(`unknown table "${values.print}" (known: ${Object.keys(TABLES).join(', ')})`);
    console.log(TABLES[values.print]());
    return;
  }
  if (values.write || values.check) {
    const stale = [];
    for (const file of markdownFiles()) {
      const { text, rendered, differs } = renderFile(file);
      for (const name of differs) stale.push(`${path.relative(REPO, file)}: table "${name}"`);
      if (values.write && rendered !== text) fs.writeFileSync(file, rendered);
    }
    if (values.check && stale.length) {
      console.error(`These tables differ from what bench/results/ gives (run node bench/table.mjs --write):\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    if (values.write) console.log(stale.length ? `rewrote:\n  ${stale.join('\n  ')}` : 'every table is up to date');
    return;
  }
  const lines = readLines(fs.readFileSync(0, 'utf8'));
  console.log(enginesTable(lines));
  const threaded = threadedTable(lines);
  if (threaded) console.log(`\n${threaded}`);
  const ttq = lines.find((l) => l.name === 'time-to-quality');
  if (ttq) {
    const m = ttq.config.model;
    const t = ttq.config.train;
    console.log(`\nTime to quality (${m.cell} ${m.layers}x${m.hiddenSize}, embed ${m.embedSize}, dropout ${m.dropout}, ` +
      `batch ${t.batchSize}, seq ${t.seqLen}, ${t.optimizer} lr ${Number(t.learningRate.toPrecision(3))}, ` +
      `lr x${Number(t.lrDecay.toPrecision(3))} every ${t.lrDecayEvery} steps; WASM at ${int(ttq.chars_per_sec)} chars/s):\n`);
    console.log(ttqTable(ttq));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

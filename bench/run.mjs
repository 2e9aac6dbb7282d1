#!/usr/bin/env node
// The benchmark driver (bench/run builds first, then runs this). For each configuration it runs
// the engines side by side, interleaved: `rounds` rounds, each starting every engine once in a
// rotated order (one fresh process per engine and round: warm-up, then `runs` timed runs), and
// reports per engine the median of all timed runs of all rounds. Noise from other processes on
// the machine thus hits every engine alike.
//
// stdout: one JSON object per line, per configuration and engine:
//   {"name","engine","chars_per_sec","runs",["sample_chars_per_sec","sample_runs"],
//    ["wasm_heap_bytes"],["vs_native","vs_native_sse","vs_tfjs_wasm"],"loss","config"}
// then, unless left out, the time-to-quality line(s) of bench/time_to_quality.mjs.
// Progress goes to stderr.
//
//   node bench/run.mjs [--quick] [--rounds N] [--runs N] [--seconds X] [--engines a,b,c]
//                      [--no-ttq] [config names ... | time-to-quality]
//   node bench/run.mjs soak [--minutes N]   (bench/soak.mjs: the page left training for an hour)
import { spawn } from 'node:child_process';
import path from 'node:path';

import { DEFAULT_CONFIGS, parseConfigName } from './configs.mjs';
import { BENCH, REPO, SHAKESPEARE, median, numberList, parseOptions, printResult, runMain } from './lib.mjs';

const TEXT = process.env.BENCH_TEXT ?? SHAKESPEARE;
const NATIVE_DIR = path.resolve(REPO, process.env.BENCH_BUILD_NATIVE ?? 'build/native');
const WASM_DIR = path.resolve(REPO, process.env.BENCH_BUILD_WASM ?? 'build/wasm');
const NATIVE_SSE_DIR = path.resolve(REPO, process.env.BENCH_BUILD_NATIVE_SSE ?? 'build/native-sse');
// native-sse: the same core built with -msse4.2, i.e. 128-bit vectors and no FMA like WASM SIMD.
const ALL_ENGINES = ['native', 'native-sse', 'wasm', 'tfjs-wasm'];
const TTQ = 'time-to-quality';
// Not in the default list: it needs the page built and Chromium (bench/page_time_to_quality.mjs).
const PAGE_TTQ = 'page-time-to-quality';
// Not in the default list either: the page left training for --minutes (bench/soak.mjs).
const SOAK = 'soak';
// Nor this: the page's speed at each --threads count (default 1,2) on the two LSTM configurations
// the threads targets name (bench/page_threads.mjs).
const PAGE_THREADS = 'page-threads';
const PAGE_THREADS_CONFIGS = ['lstm-2x128-b32-t50', 'lstm-2x512-b32-t50'];
// Nor this: the page's speed with 1 and 2 threads in Chromium, Firefox and WebKit side by side
// (bench/page_engines.mjs).
const PAGE_ENGINES = 'page-engines';
// Only when named: the lines mode memorising a list (bench/memorise.mjs, the WASM engine under Node).
const MEMORISE = 'memorise';
// Nor this: the page's first training step after it opens, cold and warm (bench/startup.mjs).
const STARTUP = 'startup';

const USAGE = `usage: bench/run [options] [configuration ...]
  configurations: ${DEFAULT_CONFIGS.join(' ')} ${TTQ}
                  (default: all of them; any <cell>-<L>x<H>-b<B>-t<T> name works)
                  ${PAGE_TTQ}: Train for each --minutes budget (default 3,10) in the page in
                  headless Chromium, a new model each, only when named
                  ${SOAK}: the page left training in headless Chromium (an hour), only when named
                  ${PAGE_THREADS}: the page's speed at each --threads count (default 1,2), only when named
                  ${MEMORISE}: lines mode on a list of 1,460 names, share reproduced after
                  1, 3, 5 minutes (--ttq-minutes overrides), only when named
                  ${STARTUP}: the page's first training step, cold and warm cache, only when named
                  ${PAGE_ENGINES}: the page's Characters/s at each --threads count (default 1,2) in
                  Chromium, Firefox and WebKit (bench/results/page_engines.jsonl), only when named
  --quick         smoke run: 1 round, 1 timed run of 0.3 s, time-to-quality 20 s + 40 s
  --rounds N      rounds of interleaved engine processes per configuration (default 3)
  --runs N        timed runs per engine process (default 2)
  --seconds X     length of one timed run (default 1)
  --engines LIST  comma-separated subset of ${ALL_ENGINES.join(',')} (default all;
                  tfjs-wasm runs the LSTM configurations only)
  --threads LIST  thread counts for the native and wasm engines, e.g. 1,2 (default 1); one line per
                  engine and count, with "threads" and, above 1, "vs_1_thread". wasm's threads are
                  helper workers (worker_threads, one WASM instance each), as the page's are.
  --no-ttq        leave out the time-to-quality run
  --ttq-minutes LIST  time-to-quality checkpoints in minutes (default 1,2,3,5,7,10)
  --minutes N     length of the soak in minutes (default 60; per minute: bench/results/soak.jsonl);
                  for page-time-to-quality, the budgets (3,10,60)
  --rounds N      (startup) fresh browser profiles, each opened cold then warm (default 5)
  --save FILE     also append every line, dated, to bench/results/FILE
env: BENCH_BUILD_NATIVE (build/native), BENCH_BUILD_NATIVE_SSE (build/native-sse),
     BENCH_BUILD_WASM (build/wasm), BENCH_TEXT
`;

function options() {
  const { o, positionals, fail, given } = parseOptions(import.meta.url, USAGE.trimEnd(), {
    defaults: { rounds: 3, runs: 2, seconds: 1, engines: ALL_ENGINES.join(','), threads: '1',
      'ttq-minutes': undefined, minutes: undefined, save: undefined },
    flags: ['quick', 'no-ttq'], positionals: true,
  });
  Object.assign(o, { names: positionals, engines: o.engines.split(','), threads: numberList(o.threads), ttq: !o['no-ttq'],
    ttqMinutes: o['ttq-minutes'] ?? null, soakMinutes: o.minutes ?? null, roundsGiven: given('rounds') });
  for (const e of o.engines) if (!ALL_ENGINES.includes(e)) fail(`unknown engine ${e}`);
  if (!o.threads.every((n) => Number.isInteger(n) && n >= 1)) fail('--threads takes whole numbers of 1 or more, separated by commas');
  if (o.quick) Object.assign(o, { rounds: 1, runs: 1, seconds: 0.3 });
  return o;
}

// Runs a command; resolves with the JSON lines it printed (stderr is passed through).
function runJsonLines(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.trim().split('\n').filter((l) => l.startsWith('{'));
      if (code !== 0 || !lines.length) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
      else resolve(lines.map((l) => JSON.parse(l)));
    });
  });
}

// Runs a command; resolves with the (last) JSON line it printed (stderr is passed through).
async function runJson(cmd, args) {
  return (await runJsonLines(cmd, args)).at(-1);
}


function engineCommand(engine, name, cfg, o, threads = 1) {
  const warmupSeconds = o.quick ? '0.2' : '0.5';
  switch (engine) {
    case 'native':
    case 'native-sse':
      return [path.join(engine === 'native' ? NATIVE_DIR : NATIVE_SSE_DIR, 'bench', 'charrnn_bench'), [
        '--text', TEXT, '--name', name, '--cell', cfg.cell, '--layers', `${cfg.layers}`, '--hidden', `${cfg.hidden}`,
        '--embed', '32', '--batch', `${cfg.batch}`, '--seq', `${cfg.seq}`, '--runs', `${o.runs}`,
        '--seconds', `${o.seconds}`, '--warmup-seconds', warmupSeconds, '--threads', `${threads}`]];
    case 'wasm':
      return [process.execPath, [path.join(BENCH, 'wasm_bench.mjs'), '--name', name, '--build', WASM_DIR,
        '--text', TEXT, '--runs', `${o.runs}`, '--seconds', `${o.seconds}`, '--warmup-seconds', warmupSeconds,
        '--threads', `${threads}`]];
    case 'tfjs-wasm':
      // Two warm-up steps: the first builds the graph and compiles kernels, the second sizes the runs.
      return [process.execPath, [path.join(BENCH, 'tfjs_lstm.mjs'), '--layers', `${cfg.layers}`,
        '--hidden', `${cfg.hidden}`, '--batch', `${cfg.batch}`, '--seq', `${cfg.seq}`, '--embed', '32',
        '--runs', `${o.runs}`, '--warmup', o.quick ? '1' : '2', '--seconds', `${o.seconds}`, '--text', TEXT]];
    default:
      throw new Error(engine);
  }
}

async function benchConfig(name, o) {
  const cfg = parseConfigName(name);
  const engines = o.engines.filter((e) => e !== 'tfjs-wasm' || cfg.cell === 'lstm');
  // A runner is an engine at a thread count: the native engines at each, the others at one.
  const threaded = (engine) => engine.startsWith('native') || engine === 'wasm';
  const runners = engines.flatMap((engine) => (threaded(engine) ? o.threads : [1])
    .map((threads) => ({ engine, threads, key: threads === 1 ? engine : `${engine}@${threads}` })));
  if (o.threads.some((t) => t > 1) && engines.some((e) => !threaded(e)))
    process.stderr.write('[bench] tfjs-wasm runs with one thread only\n');
  const results = Object.fromEntries(runners.map((r) => [r.key, []]));
  for (let r = 0; r < o.rounds; r++) {
    // Rotate the start so no runner always runs first (or right after the slowest one).
    const order = runners.map((_, i) => runners[(i + r) % runners.length]);
    for (const runner of order) {
      process.stderr.write(`[bench] ${name} round ${r + 1}/${o.rounds}: ${runner.key}\n`);
      const [cmd, args] = engineCommand(runner.engine, name, cfg, o, runner.threads);
      results[runner.key].push(await runJson(cmd, args));
    }
  }
  const merged = {};
  for (const { engine, threads, key } of runners) {
    const rs = results[key];
    const runs = rs.flatMap((x) => x.runs);
    const line = { name, engine, threads, chars_per_sec: Math.round(median(runs)), runs: runs.map(Math.round) };
    const sampleRuns = rs.flatMap((x) => x.sample_runs ?? []);
    if (sampleRuns.length) {
      line.sample_chars_per_sec = Math.round(median(sampleRuns));
      line.sample_runs = sampleRuns.map(Math.round);
    }
    if (rs[0].wasm_heap_bytes !== undefined) line.wasm_heap_bytes = Math.max(...rs.map((x) => x.wasm_heap_bytes));
    if (rs.at(-1).ms_per_step) line.ms_per_step = rs.at(-1).ms_per_step;
    line.loss = rs.at(-1).loss;
    line.config = { ...rs.at(-1).config, rounds: o.rounds, runs_per_round: o.runs, seconds_per_run: o.seconds };
    merged[key] = line;
  }
  for (const { engine, threads, key } of runners) {
    if (threads > 1 && merged[engine])
      merged[key].vs_1_thread = +(merged[key].chars_per_sec / merged[engine].chars_per_sec).toFixed(3);
  }
  // Ratios, from the medians measured side by side above.
  if (merged.wasm) {
    if (merged.native) merged.wasm.vs_native = +(merged.wasm.chars_per_sec / merged.native.chars_per_sec).toFixed(3);
    if (merged['native-sse'])
      merged.wasm.vs_native_sse = +(merged.wasm.chars_per_sec / merged['native-sse'].chars_per_sec).toFixed(3);
    if (merged['tfjs-wasm'])
      merged.wasm.vs_tfjs_wasm = +(merged.wasm.chars_per_sec / merged['tfjs-wasm'].chars_per_sec).toFixed(2);
    if (merged.native?.sample_chars_per_sec && merged.wasm.sample_chars_per_sec)
      merged.wasm.sample_vs_native = +(merged.wasm.sample_chars_per_sec / merged.native.sample_chars_per_sec).toFixed(3);
  }
  for (const { key } of runners) printResult(merged[key], { save: o.save });
}

async function main() {
  const o = options();
  let names = o.names.length ? o.names : [...DEFAULT_CONFIGS, ...(o.ttq ? [TTQ] : [])];
  if (!o.ttq) names = names.filter((n) => n !== TTQ);
  for (const n of names) if (![TTQ, PAGE_TTQ, SOAK, PAGE_THREADS, PAGE_ENGINES, MEMORISE, STARTUP].includes(n)) parseConfigName(n);  // fail early on a typo
  for (const name of names) {
    if (name === PAGE_THREADS) {
      const threads = o.threads.length > 1 ? o.threads : [1, 2];
      for (const config of PAGE_THREADS_CONFIGS) {
        process.stderr.write(`[bench] ${name} ${config}\n`);
        const args = [path.join(BENCH, 'page_threads.mjs'), '--name', config, '--threads', threads.join(','),
          '--rounds', `${o.rounds}`, ...(o.quick ? ['--seconds', '5'] : [])];
        for (const line of await runJsonLines(process.execPath, args)) printResult(line, { save: o.save });
      }
    } else if (name === PAGE_ENGINES) {
      const threads = o.threads.length > 1 ? o.threads : [1, 2];
      const args = [path.join(BENCH, 'page_engines.mjs'), '--threads', threads.join(','), ...(o.quick ? ['--windows', '1', '--seconds', '5'] : [])];
      process.stderr.write(`[bench] ${name}\n`);
      // page_engines.mjs appends to bench/results/page_engines.jsonl itself.
      for (const line of await runJsonLines(process.execPath, args)) printResult(line, { save: o.save });
    } else if (name === STARTUP) {
      const args = [path.join(BENCH, 'startup.mjs')]; // the page as ./run.sh builds it
      if (o.roundsGiven) args.push('--rounds', String(o.rounds));
      process.stderr.write(`[bench] ${name}\n`);
      printResult(await runJson(process.execPath, args), { save: o.save });
    } else if (name === SOAK) {
      const args = [path.join(BENCH, 'soak.mjs')]; // the page as ./run.sh builds it
      if (o.soakMinutes) args.push('--minutes', o.soakMinutes);
      process.stderr.write(`[bench] ${name}\n`);
      printResult(await runJson(process.execPath, args), { save: o.save });
    } else if (name === MEMORISE) {
      const args = [path.join(BENCH, 'memorise.mjs'), '--build', WASM_DIR];
      if (o.ttqMinutes) args.push('--minutes', o.ttqMinutes);
      else if (o.quick) args.push('--minutes', '0.25');
      process.stderr.write(`[bench] ${name}\n`);
      printResult(await runJson(process.execPath, args), { save: o.save });
    } else if (name === PAGE_TTQ) {
      // The page as a visitor uses it: Train for each budget (--minutes), a new model each, its
      // validation loss on the whole held-out text when the page pauses at the budget's end.
      const budgets = o.soakMinutes ?? o.ttqMinutes ?? (o.quick ? '3' : '3,10'); // --minutes (or --ttq-minutes)
      for (const minutes of numberList(budgets)) {
        process.stderr.write(`[bench] ${name}: Train for ${minutes} minutes\n`);
        const args = [path.join(BENCH, 'page_time_to_quality.mjs'), '--budget', String(minutes)];
        printResult(await runJson(process.execPath, args), { save: o.save });
      }
    } else if (name === TTQ) {
      const args = [path.join(BENCH, 'time_to_quality.mjs'), '--build', WASM_DIR, '--text', TEXT];
      if (o.ttqMinutes) args.push('--minutes', o.ttqMinutes);
      else if (o.quick) args.push('--minutes', '0.333,0.667');
      process.stderr.write(`[bench] ${name}\n`);
      printResult(await runJson(process.execPath, args), { save: o.save });
    } else {
      await benchConfig(name, o);
    }
  }
}

runMain(main);

#!/usr/bin/env node
// The soak: the built trainer page (build/web) opened in headless Debian Chromium and left to train
// its default model for an hour, the way a visitor's forgotten tab does (default text, default
// settings, no click; autosave on, as it is in a fresh browser profile; periodic samples and
// validations as the page does them). Every minute it records
//   - the tab's JS heap: performance.memory.usedJSHeapSize as found (heap_mib) and right after a
//     forced garbage collection of the page (heap_gc_mib: the figure a leak shows in; Chromium
//     runs with --enable-precise-memory-info, without which it reports a quantized, cached value:
//     10,000,000 here before and after allocating 4 MB); every 5 minutes, from a heap snapshot,
//     how much of it is V8's compiled code (heap_code_mib) and the rest, the page's data
//     (heap_data_mib): the code grows in steps as V8 gets round to optimising the functions the
//     page calls only every few seconds, bounded by how much JavaScript the page has; a leak
//     shows in the data;
//   - the engine's WASM memory (wasm_mib): the byte length of the WebAssembly.Memory of the
//     worker's engine. The worker keeps its engine in module scope, out of reach of an evaluate(),
//     so the worker script is served with a few lines in front that remember every instance
//     WebAssembly.instantiate(Streaming) makes (as bench/wasm_bench.mjs does under Node) and
//     read its memory on demand; nothing else of the page changes;
//   - the summed RSS of this browser's processes (rss_mib: the descendants of this process, not
//     other Chromiums on the machine), the whole-browser figure, and their summed PSS (pss_mib,
//     which counts a page shared by several of them once);
//   - the CPU time the page's main thread and its worker got in the minute (main_cpu_ms,
//     worker_cpu_ms: from /proc, for the renderer with the worker thread);
//   - the iteration, validation loss on the slice, autosaved iteration, samples shown, the page's
//     DOM size and IndexedDB/cache usage (navigator.storage.estimate());
//   - stalls: the longest gap between two progress reports the page received in that minute
//     (report_gap_ms, the worker sends one every 250 ms of training) and the main thread's tasks
//     over 50 ms (PerformanceObserver 'longtask'). The forced collection (and the heap snapshot) runs
//     right after each minute's reading; a long task or a report gap that overlaps it is the
//     measurement's, and counted apart (report_gap_ms_measuring).
// After the warm-up (--warmup minutes), memory should grow less than 5% and the tab never stall.
//
// Output: one JSON line per minute (minute 0: the first training step) to stderr and to --out
// (default bench/results/soak.jsonl, rewritten), then the summary line, on stdout and last in
// --out:
//   {"name":"soak","minutes","heap_start_mib","heap_end_mib","heap_growth_pct_after_warmup",
//    "wasm_start_mib","wasm_end_mib","wasm_growth_pct_after_warmup","rss_start_mib","rss_end_mib",
//    "rss_growth_pct_after_warmup","longest_report_gap_ms","long_tasks","iterations",...,"verdict"}
// (start: at the end of the warm-up; the growth is from there to the end.)
//
//   node bench/soak.mjs [--minutes 60] [--warmup 5] [--out bench/results/soak.jsonl] [--heap-snapshots DIR]
// --heap-snapshots DIR also writes the page's heap (after the forced collection) at the end of the
// warm-up and at the end, as DIR/warmup.heapsnapshot and DIR/end.heapsnapshot (open them in
// DevTools' Memory panel, or compare them by constructor: node bench/heap_diff.mjs A B).
//   (build first: scripts/build.sh wasm web; bench/run soak does both)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { splitLongTasks } from './soak_long_tasks.mjs';
import { startServer } from '../tests/browser/harness.mjs';
import { openTrainer, figures, status, waitForIteration } from '../tests/browser/trainer-helpers.mjs';
import { RESULTS, parseOptions, printResult, runMain } from './lib.mjs';

const MIB = 1024 * 1024;
const MINUTE = 60000;
const GROWTH_LIMIT_PCT = 5;
// A stall: no progress report for this long (the worker reports every 250 ms; a validation on the
// slice or a periodic sample between two chunks adds a few hundred ms at most).
const STALL_MS = 2000;
const SNAPSHOT_EVERY = 5; // minutes

function options() {
  const { o, fail } = parseOptions(import.meta.url,
    'usage: node bench/soak.mjs [--minutes N (60)] [--warmup M (5)] [--out FILE] [--heap-snapshots DIR]',
    { defaults: { minutes: 60, warmup: 5, out: path.join(RESULTS, 'soak.jsonl'), 'heap-snapshots': undefined } });
  if (!(Number.isInteger(o.minutes) && o.minutes > 0 && Number.isInteger(o.warmup) && o.warmup >= 0)) {
    fail('--minutes must be a whole number above 0 and --warmup one of 0 or more');
  }
  o.out = path.resolve(o.out);
  o.snapshots = o['heap-snapshots'] ? path.resolve(o['heap-snapshots']) : null;
  o.warmup = Math.min(o.warmup, o.minutes - 1); // a short check still has a start and an end
  return o;
}

// Headless Chromium as tests/browser/harness.mjs starts it, plus precise memory figures.
async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-soak-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// In the page, before its scripts: every progress report the page's worker sends is timed, and the
// main thread's long tasks are collected. Read (and reset) by readPage().
// A gap that spans one of the measurement's own pauses (the forced collection and the heap
// snapshot, whose windows the soak hands in) is counted apart, in maxGapMeasuring.
function pageProbe() {
  const soak = { reports: 0, last: null, maxGap: 0, maxGapMeasuring: 0, longTasks: [], windows: [] };
  window.__soak = soak;
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => {
        if (data?.report?.type !== 'progress') return;
        const now = performance.now();
        if (soak.last !== null) {
          const last = soak.last;
          const measuring = soak.windows.some(([from, to]) => last <= to && now >= from);
          if (measuring) soak.maxGapMeasuring = Math.max(soak.maxGapMeasuring, now - last);
          else soak.maxGap = Math.max(soak.maxGap, now - last);
        }
        soak.last = now;
        soak.reports++;
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) soak.longTasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
  }).observe({ type: 'longtask', buffered: true });
}

// Put in front of the worker's script: the engine's instances, to read their memory from outside.
const WORKER_PROBE = `{
  const instances = [];
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = async function (...args) {
      const result = await original.apply(this, args);
      instances.push(result.instance ?? result);
      return result;
    };
  }
  self.__soakWasmBytes = () => {
    let bytes = 0;
    for (const inst of instances) {
      for (const e of Object.values(inst.exports)) if (e instanceof WebAssembly.Memory) bytes += e.buffer.byteLength;
    }
    return bytes;
  };
}
`;

function readPage(page) {
  return page.evaluate(async () => {
    const s = window.__soak;
    const now = performance.now();
    const fig = document.getElementById('figures').dataset;
    const storage = await navigator.storage.estimate().catch(() => ({}));
    const r = {
      now,
      heap: performance.memory.usedJSHeapSize,
      heapTotal: performance.memory.totalJSHeapSize,
      reports: s.reports,
      // A gap still open counts too (a tab stuck right now).
      maxGap: Math.max(s.maxGap, s.last === null ? 0 : now - s.last),
      maxGapMeasuring: s.maxGapMeasuring,
      longTasks: s.longTasks,
      iteration: Number(fig.iteration),
      epoch: Number(fig.epoch),
      valLoss: Number(fig.valLoss),
      charsPerSec: Number(fig.charsPerSec),
      autosavedIteration: Number(document.getElementById('autosave-status').dataset.iteration ?? NaN),
      samples: Number(document.getElementById('sample-text').dataset.count ?? 0),
      historyItems: document.getElementById('history').children.length,
      domNodes: document.getElementsByTagName('*').length,
      storage: storage.usage ?? null,
      state: document.getElementById('status').dataset.state,
    };
    s.reports = 0;
    s.maxGap = 0;
    s.maxGapMeasuring = 0;
    s.longTasks = [];
    return r;
  });
}

// Resident memory of this process's descendants (the browser and its helpers), in KiB: RSS as ps
// shows it (pages shared between the browser's processes counted in each) and PSS from
// /proc/PID/smaps_rollup (shared pages split between their users: sums to the browser's share).
function browserMemoryKib() {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kib]) => [pid, kib]));
  let total = 0;
  let pss = 0;
  let processes = 0;
  let cpu = null;
  const todo = [...(children.get(process.pid) ?? [])];
  while (todo.length) {
    const pid = todo.pop();
    if (!rss.has(pid)) continue; // ps itself, gone by now
    total += rss.get(pid);
    processes++;
    try {
      pss += Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended in between
    }
    cpu ??= trainerThreadsCpuMs(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return { rss: total, pss, processes, cpu };
}

// CPU time (user + system, ms) of the main thread and of the dedicated worker of the renderer
// that runs the trainer (the one with a DedicatedWorker thread), or null when pid is not it. Beside
// a long task or a long report gap, it tells the page's own work from a machine too busy to run it.
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
function trainerThreadsCpuMs(pid) {
  let main = null;
  let worker = null;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
      const ms = (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14 and 15)
      if (Number(tid) === pid) main = ms;
      else if (comm.startsWith('DedicatedWorker')) worker = (worker ?? 0) + ms;
    }
  } catch {
    return null; // the process ended in between
  }
  return worker === null ? null : { main, worker };
}

// The page's heap as DevTools' Memory panel takes it (written to file when one is named), and
// how much of it is V8's compiled code: the self size of the snapshot's nodes of type "code"
// (DevTools' "(compiled code)": the machine code of optimised functions and regular expressions,
// their metadata, bytecode). That part grows while V8 keeps optimising functions the page calls
// only every few seconds (a sample, a validation, an autosave), and is bounded by how much
// JavaScript the page has, not by how long it trains; the rest is the page's data.
async function takeHeapSnapshot(cdp, file) {
  const chunks = [];
  const onChunk = ({ chunk }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const text = chunks.join('');
  if (file) fs.writeFileSync(file, text);
  const snap = JSON.parse(text);
  const { node_fields: fields, node_types: [types] } = snap.snapshot.meta;
  const [iType, iSize] = [fields.indexOf('type'), fields.indexOf('self_size')];
  let code = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    if (types[snap.nodes[i + iType]] === 'code') code += snap.nodes[i + iSize];
  }
  return { code };
}

const mib = (bytes) => +(bytes / MIB).toFixed(2);
const mean = (xs) => {
  const ys = xs.filter(Number.isFinite);
  return ys.length ? Math.round(ys.reduce((x, y) => x + y, 0) / ys.length) : null;
};
const pct = (from, to) => +(((to - from) / from) * 100).toFixed(2);

async function main() {
  const o = options();
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const out = fs.openSync(o.out, 'w');
  const record = (line) => {
    const text = JSON.stringify(line);
    process.stderr.write(`soak: ${text}\n`);
    fs.writeSync(out, text + '\n');
  };

  const server = await startServer();
  const browser = await launch();
  try {
    const context = browser.context;
    await context.route('**/worker.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: WORKER_PROBE + await response.text() });
    });
    await context.addInitScript(pageProbe);
    const page = await openTrainer(context, server.url);
    const cdp = await context.newCDPSession(page);
    const startedAt = Date.now();
    await waitForIteration(page, 1, MINUTE * 10);
    const firstStepMs = (await figures(page)).firstStepMs;
    const worker = page.workers().find((w) => w.url().endsWith('/worker.js'));
    if (!worker) throw new Error(`the page's worker was not found among ${page.workers().map((w) => w.url())}`);
    const info = (await page.textContent('#model-info')).trim();
    const { product } = await cdp.send('Browser.getVersion');
    process.stderr.write(`soak: first step ${firstStepMs} ms after the page opened; ${info}; ${o.minutes} minutes, ` +
      `warm-up ${o.warmup}; per minute: ${o.out}\n`);

    // Minute 0 is the first step; each reading is taken on the minute (node's clock).
    const t0 = Date.now();
    const rows = [];
    let lastCpu = null;
    for (let minute = 0; minute <= o.minutes; minute++) {
      const wait = t0 + minute * MINUTE - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const p = await readPage(page);
      const wasm = await worker.evaluate(() => self.__soakWasmBytes());
      const mem = browserMemoryKib();
      // The heap without its garbage: a forced collection of the page's heap, then read again.
      // The window opens before the collection (reports held up by it arrive the moment it ends)
      // and closes after the snapshot: report gaps across it are the measurement's (pageProbe).
      const gcFrom = await page.evaluate(() => {
        const from = performance.now();
        window.__soak.windows = [...window.__soak.windows.slice(-1), [from, Infinity]];
        return from;
      });
      await cdp.send('HeapProfiler.collectGarbage');
      const gc = await page.evaluate(() => ({ now: performance.now(), heap: performance.memory.usedJSHeapSize }));
      const gcWindow = [gcFrom, gc.now];
      // Compiled code (see takeHeapSnapshot) every SNAPSHOT_EVERY minutes, at the end of the
      // warm-up and at the end: a snapshot pauses the page's main thread for most of a second.
      let snapshot = null;
      if (minute % SNAPSHOT_EVERY === 0 || minute === o.warmup || minute === o.minutes) {
        const keep = o.snapshots && (minute === o.warmup || minute === o.minutes);
        if (keep) fs.mkdirSync(o.snapshots, { recursive: true });
        snapshot = await takeHeapSnapshot(cdp, keep ? path.join(o.snapshots, minute === o.minutes ? 'end.heapsnapshot' : 'warmup.heapsnapshot') : null);
        gcWindow[1] = await page.evaluate(() => performance.now()); // its pause is the measurement's too
      }
      await page.evaluate((to) => { window.__soak.windows.at(-1)[1] = to; }, gcWindow[1]);
      const row = {
        minute, t_s: +((Date.now() - t0) / 1000).toFixed(1),
        heap_mib: mib(p.heap), heap_gc_mib: mib(gc.heap), heap_total_mib: mib(p.heapTotal),
        // Of heap_gc_mib: V8's compiled code, and the rest (the page's data), where a snapshot was taken.
        heap_code_mib: snapshot ? mib(snapshot.code) : null, heap_data_mib: snapshot ? mib(gc.heap - snapshot.code) : null,
        wasm_mib: mib(wasm), rss_mib: +(mem.rss / 1024).toFixed(1), pss_mib: +(mem.pss / 1024).toFixed(1),
        processes: mem.processes,
        // CPU time the page's main thread and its worker had in the minute before (ms).
        main_cpu_ms: mem.cpu && lastCpu ? Math.round(mem.cpu.main - lastCpu.main) : null,
        worker_cpu_ms: mem.cpu && lastCpu ? Math.round(mem.cpu.worker - lastCpu.worker) : null,
        iteration: p.iteration, epoch: +p.epoch.toFixed(3), val_loss: Number.isFinite(p.valLoss) ? +p.valLoss.toFixed(4) : null,
        chars_per_sec: Math.round(p.charsPerSec), autosaved_iteration: Number.isFinite(p.autosavedIteration) ? p.autosavedIteration : null,
        samples: p.samples, history_items: p.historyItems, dom_nodes: p.domNodes,
        storage_mib: p.storage === null ? null : mib(p.storage),
        reports: p.reports, report_gap_ms: Math.round(p.maxGap), report_gap_ms_measuring: Math.round(p.maxGapMeasuring),
        long_tasks: p.longTasks, state: p.state, load1: +os.loadavg()[0].toFixed(2),
      };
      row.gc_window = gcWindow.map(Math.round);
      lastCpu = mem.cpu ?? lastCpu;
      rows.push(row);
      record(row);
      if (p.state !== 'training') throw new Error(`the page stopped training (${await status(page)})`);
    }

    const { page: pageLong, measuring: gcLong } = splitLongTasks(rows);
    const w = rows[o.warmup];
    const end = rows.at(-1);
    const after = rows.slice(o.warmup + 1);
    const longestGap = Math.max(...rows.slice(1).map((r) => r.report_gap_ms));
    const growth = {
      heap: pct(w.heap_gc_mib, end.heap_gc_mib), heap_data: pct(w.heap_data_mib, end.heap_data_mib),
      wasm: pct(w.wasm_mib, end.wasm_mib), rss: pct(w.rss_mib, end.rss_mib),
      pss: pct(w.pss_mib, end.pss_mib),
    };
    const verdict = {
      // The page's heap without V8's compiled code (takeHeapSnapshot says why); the whole heap's
      // growth is in the summary beside it.
      heap_data_ok: growth.heap_data < GROWTH_LIMIT_PCT,
      wasm_ok: growth.wasm < GROWTH_LIMIT_PCT,
      rss_ok: growth.rss < GROWTH_LIMIT_PCT,
      no_report_gap_over_2s: longestGap <= STALL_MS,
      no_long_tasks: pageLong.length === 0,
    };
    const summary = {
      name: 'soak', engine: 'chromium', minutes: o.minutes, warmup_minutes: o.warmup,
      heap_start_mib: w.heap_gc_mib, heap_end_mib: end.heap_gc_mib, heap_growth_pct_after_warmup: growth.heap,
      heap_max_mib_after_warmup: Math.max(...after.map((r) => r.heap_gc_mib)),
      heap_code_start_mib: w.heap_code_mib, heap_code_end_mib: end.heap_code_mib,
      heap_data_start_mib: w.heap_data_mib, heap_data_end_mib: end.heap_data_mib,
      heap_data_growth_pct_after_warmup: growth.heap_data,
      wasm_start_mib: w.wasm_mib, wasm_end_mib: end.wasm_mib, wasm_growth_pct_after_warmup: growth.wasm,
      rss_start_mib: w.rss_mib, rss_end_mib: end.rss_mib, rss_growth_pct_after_warmup: growth.rss,
      rss_max_mib_after_warmup: Math.max(...after.map((r) => r.rss_mib)),
      pss_start_mib: w.pss_mib, pss_end_mib: end.pss_mib, pss_growth_pct_after_warmup: growth.pss,
      longest_report_gap_ms: longestGap,
      longest_report_gap_ms_measuring: Math.max(...rows.slice(1).map((r) => r.report_gap_ms_measuring)),
      long_tasks: pageLong.length, long_task_max_ms: Math.max(0, ...pageLong.map((t) => t.ms)),
      long_tasks_list: pageLong, long_tasks_at_forced_gc: gcLong.length,
      iterations: end.iteration, epochs: end.epoch, val_loss_end: end.val_loss,
      autosaved_iteration_end: end.autosaved_iteration, samples: end.samples,
      storage_mib_start: w.storage_mib, storage_mib_end: end.storage_mib,
      main_cpu_ms_per_minute: mean(rows.map((r) => r.main_cpu_ms)),
      worker_cpu_ms_per_minute: mean(rows.map((r) => r.worker_cpu_ms)),
      dom_nodes_start: w.dom_nodes, dom_nodes_end: end.dom_nodes,
      first_step_ms: firstStepMs, wall_minutes: +((Date.now() - startedAt) / MINUTE).toFixed(1),
      page_errors: page.errors, model: info, browser: product,
      verdict: { ...verdict, pass: Object.values(verdict).every(Boolean) },
    };
    fs.writeSync(out, JSON.stringify(summary) + '\n');
    printResult(summary);
  } finally {
    fs.closeSync(out);
    await browser.close();
    await server.close();
  }
}

runMain(main);

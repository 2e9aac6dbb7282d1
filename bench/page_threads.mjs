#!/usr/bin/env node
// Threads in the page itself: opens the built trainer page (build/web) in headless Debian Chromium,
// trains one configuration (settings typed into the form, then Train), and alternates the Threads
// control between the counts given, measuring the speed over a window at each. The same model
// trains throughout (the control applies at once). Two figures: chars_per_sec, the wall-clock
// throughput (iterations done x batch x sequence length / wall time, everything the tab does
// included: its validations on a slice and its samples run in the training worker alone, so they
// do not speed up with threads), and shown_chars_per_sec, the median of the speed the page shows
// (its Characters/s: training time only, what bench/wasm_bench.mjs measures under Node). With more
// than one thread, ms_per_step says where a step's time went in the training worker, as
// bench/wasm_bench.mjs does under Node (medians of the page's reports: sending to the helpers, its
// own shard, waiting for the helpers beyond it, taking their results in and updating). Prints one
// JSON line per thread count:
//   {"name","engine":"wasm-page","threads","chars_per_sec","shown_chars_per_sec","runs","vs_1_thread",
//    "shown_vs_1_thread","ms_per_step"}
//
//   node bench/page_threads.mjs [--name lstm-2x128-b32-t50] [--threads 1,2] [--rounds 3] [--seconds 20]
//   (build first: scripts/build.sh wasm web)
import { startServer, launchBrowser } from '../tests/browser/harness.mjs';
import { openTrainer, figures, waitForIteration } from '../tests/browser/trainer-helpers.mjs';
import { parseConfigName } from './configs.mjs';
import { median, numberList, parseOptions, printResult, runMain } from './lib.mjs';

const HOUR = 3600000;

function options() {
  const { o } = parseOptions(import.meta.url, 'usage: node bench/page_threads.mjs [--name CONFIG] [--threads 1,2] [--rounds 3] [--seconds 20]',
    { defaults: { name: 'lstm-2x128-b32-t50', threads: '1,2', rounds: 3, seconds: 20 } });
  o.threads = numberList(o.threads);
  return o;
}

async function setField(page, id, value) {
  await page.locator(`#${id}`).fill(String(value));
  await page.locator(`#${id}`).dispatchEvent('change');
}

async function setThreads(page, n) {
  await setField(page, 'threads', n);
  await page.waitForFunction((t) => {
    const d = document.getElementById('threads').dataset;
    return d.threads === String(t) && d.running === String(t);
  }, n, { timeout: HOUR });
}

async function main() {
  const o = options();
  const cfg = parseConfigName(o.name);
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await openTrainer(browser.context, server.url);
    await waitForIteration(page, 1, HOUR);
    // The default model goes (Reset, confirmed), the form gets the configuration, Train.
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Discard the model' }).click();
    await page.waitForFunction(() => document.getElementById('model-info').textContent === 'No model yet.', null,
      { timeout: HOUR });
    await page.locator('#cell').selectOption(cfg.cell);
    for (const [id, v] of [['layers', cfg.layers], ['hidden-size', cfg.hidden], ['embed-size', 32], ['dropout', 0],
      ['batch-size', cfg.batch], ['seq-len', cfg.seq]]) await page.locator(`#${id}`).fill(String(v));
    const session = Number(await page.getAttribute('#model-info', 'data-session'));
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction((n) => Number(document.getElementById('model-info').dataset.session) > n, session,
      { timeout: HOUR });
    process.stderr.write(`page-threads: ${(await page.textContent('#model-info')).trim()}\n`);

    const runs = Object.fromEntries(o.threads.map((t) => [t, []]));
    const shown = Object.fromEntries(o.threads.map((t) => [t, []]));
    const PARTS = { send: 'stepSendMs', own_shard: 'stepOwnShardMs', wait: 'stepWaitMs', finish: 'stepFinishMs' };
    const parts = Object.fromEntries(o.threads.map((t) => [t, Object.fromEntries(Object.keys(PARTS).map((k) => [k, []]))]));
    for (let r = 0; r < o.rounds; r++) {
      for (const t of r % 2 ? [...o.threads].reverse() : o.threads) {
        await setThreads(page, t);
        const start = (await figures(page)).iteration;
        await waitForIteration(page, start + 2, HOUR); // past the switch and the helpers' start
        const a = await page.evaluate(() => [Number(document.getElementById('figures').dataset.iteration), performance.now()]);
        const windowEnd = Date.now() + o.seconds * 1000;
        while (Date.now() < windowEnd) {
          await page.waitForTimeout(1000);
          const f = await figures(page);
          if (Number.isFinite(f.charsPerSec)) shown[t].push(f.charsPerSec);
          for (const [k, key] of Object.entries(PARTS)) if (Number.isFinite(f[key])) parts[t][k].push(f[key]);
        }
        const b = await page.evaluate(() => [Number(document.getElementById('figures').dataset.iteration), performance.now()]);
        const cps = ((b[0] - a[0]) * cfg.batch * cfg.seq) / ((b[1] - a[1]) / 1000);
        runs[t].push(cps);
        process.stderr.write(`page-threads ${o.name} round ${r + 1}: ${t} thread(s) ${Math.round(cps)} chars/s\n`);
      }
    }
    const one = runs[1] ? median(runs[1]) : null;
    for (const t of o.threads) {
      const line = { name: o.name, engine: 'wasm-page', threads: t, chars_per_sec: Math.round(median(runs[t])),
        shown_chars_per_sec: Math.round(median(shown[t])), runs: runs[t].map(Math.round), seconds_per_run: o.seconds };
      if (parts[t].own_shard.length) {
        line.ms_per_step = Object.fromEntries(Object.entries(parts[t]).map(([k, xs]) => [k, +median(xs).toFixed(2)]));
      }
      if (t > 1 && one) {
        line.vs_1_thread = +(median(runs[t]) / one).toFixed(3);
        line.shown_vs_1_thread = +(median(shown[t]) / median(shown[1])).toFixed(3);
      }
      printResult(line);
    }
    if (page.errors.length) process.stderr.write(`page-threads: page errors: ${page.errors.join('; ')}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

runMain(main);

#!/usr/bin/env node
// The trainer page's speed in each browser engine, side by side: opens the built page (build/web)
// in Chromium (playwright-core), Firefox (puppeteer-core over WebDriver BiDi) and WebKit
// (WebKitWebDriver and its MiniBrowser on a private Xvfb), one engine at a time, lets the default
// model train, and at each Threads count takes the median over --windows windows of the
// Characters/s the page shows (its training speed, data-chars-per-sec of #figures; ?test hooks).
// Thread counts alternate between windows, so a load that changes over the run touches each.
// Prints one JSON line per engine and thread count, appended to bench/results/page_engines.jsonl:
//   {"engine","threads","chars_per_sec","windows","vs_1_thread","user_agent"}
//
//   node bench/page_engines.mjs [--engines chromium,firefox,webkit] [--threads 1,2] [--windows 5] [--seconds 10]
//   (build first: scripts/build.sh wasm web; the engines: scripts/setup.sh)
import os from 'node:os';
import { startServer } from '../tests/browser/harness.mjs';
import { launch, missingEngine } from '../tests/engines/drivers.mjs';
import { median, numberList, parseOptions, printResult, runMain } from './lib.mjs';

const HOUR = 3600000;

function options() {
  const { o } = parseOptions(import.meta.url,
    'usage: node bench/page_engines.mjs [--engines chromium,firefox,webkit] [--threads 1,2] [--windows 5] [--seconds 10]',
    { defaults: { engines: 'chromium,firefox,webkit', threads: '1,2', windows: 5, seconds: 10 } });
  o.engines = o.engines.split(',');
  o.threads = numberList(o.threads);
  return o;
}

async function setThreads(d, n) {
  await d.fill('#threads', String(n));
  await d.press('#threads', 'Enter');
  await d.waitFor((t) => {
    const x = document.getElementById('threads').dataset;
    return x.threads === String(t) && x.running === String(t);
  }, n, { timeout: HOUR, message: `${n} threads running` });
}

const iteration = (d) => d.evaluate(() => Number(document.getElementById('figures').dataset.iteration));

/** The speeds the page reports over `seconds` (one reading a second, each report once). */
async function window(d, seconds) {
  const seen = [];
  let last = null;
  for (const end = Date.now() + seconds * 1000; Date.now() < end;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await d.evaluate(() => ({ it: document.getElementById('figures').dataset.iteration,
      cps: Number(document.getElementById('figures').dataset.charsPerSec) }));
    if (now.it !== last) seen.push(now.cps);
    last = now.it;
  }
  return median(seen);
}

async function measure(engine, o, server) {
  const d = await launch(engine);
  try {
    await d.goto(`${server.url}/?test`);
    await d.waitFor(() => Number(document.getElementById('figures').dataset.iteration) >= 2, null,
      { timeout: HOUR, message: 'the first steps' });
    const userAgent = await d.evaluate(() => navigator.userAgent);
    const speeds = Object.fromEntries(o.threads.map((t) => [t, []]));
    for (let w = 0; w < o.windows; w++) {
      for (const t of w % 2 ? [...o.threads].reverse() : o.threads) {
        await setThreads(d, t);
        const start = await iteration(d);
        await d.waitFor((n) => Number(document.getElementById('figures').dataset.iteration) >= n, start + 2,
          { timeout: HOUR, message: 'steps past the switch' });
        speeds[t].push(await window(d, o.seconds));
      }
    }
    const one = median(speeds[o.threads[0]]);
    return o.threads.map((t) => ({ engine, threads: t, chars_per_sec: Math.round(median(speeds[t])), windows: o.windows,
      vs_1_thread: Number((median(speeds[t]) / one).toFixed(2)), user_agent: userAgent,
      load_average: Number(os.loadavg()[0].toFixed(1)), cores: os.cpus().length }));
  } finally {
    await d.close();
  }
}

async function main() {
  const o = options();
  const server = await startServer();
  try {
    for (const engine of o.engines) {
      const missing = missingEngine(engine);
      if (missing) {
        process.stderr.write(`page-engines: ${engine} left out: ${missing}\n`);
        continue;
      }
      process.stderr.write(`page-engines: ${engine}\n`);
      for (const line of await measure(engine, o, server)) printResult(line, { save: 'page_engines.jsonl' });
    }
  } finally {
    await server.close();
  }
}

runMain(main);

#!/usr/bin/env node
// Start-up of the trainer page: how long after the page opens the first training step reaches it
// (the page's own clock, performance.now(), when the first progress report arrives: the test
// hook data-first-step-ms), in headless Debian Chromium.
//   cold: a fresh browser profile (empty HTTP cache, no service worker, no compiled-code cache);
//   warm: the same profile opened again after that visit (HTTP cache, the service worker installed,
//         V8's cache of the compiled WASM).
// Each round starts a new profile, so rounds are independent; the figures are the medians over
// rounds. Also the page's milestones (data-startup-* on <html>, ms since the page opened): the
// engine ready in the worker, the default text fetched, the model made, the first report.
// Prints one JSON line:
//   {"name":"startup","engine":"chromium","cold_first_step_ms","warm_first_step_ms","rounds",
//    "cold":[...],"warm":[...],"milestones":{"cold":{...},"warm":{...}},"load"}
//
//   node bench/startup.mjs [--rounds 5]      (build first: scripts/build.sh wasm web)
import os from 'node:os';
import { startServer, launchBrowser } from '../tests/browser/harness.mjs';
import { openTrainer, figures, waitForIteration } from '../tests/browser/trainer-helpers.mjs';
import { median, parseOptions, printResult, runMain } from './lib.mjs';

// Milliseconds as whole numbers: the median of an even count is the middle two's mean, rounded.
const wholeMedian = (xs) => Math.round(median(xs));

/** Opens the page, waits for its first training step; returns { firstStepMs, milestones }. */
async function visit(context, url) {
  const page = await openTrainer(context, url, { width: 1280, height: 900 });
  await waitForIteration(page, 1, 120000);
  const { firstStepMs } = await figures(page);
  const milestones = await page.evaluate(() => Object.fromEntries(Object.entries(document.documentElement.dataset)
    .filter(([k]) => k.startsWith('startup')).map(([k, v]) => [k.replace(/^startup/, '').replace(/^./, (c) => c.toLowerCase()), Number(v)])));
  // The service worker installs (precaching the site) after the first visit's start: the warm
  // visit comes after it has.
  await page.evaluate(() => navigator.serviceWorker?.ready);
  if (page.errors.length) process.stderr.write(`startup: page errors: ${page.errors.join('; ')}\n`);
  await page.close();
  return { firstStepMs, milestones };
}

async function main() {
  const { o, fail } = parseOptions(import.meta.url, 'usage: node bench/startup.mjs [--rounds N]', { defaults: { rounds: 5 } });
  if (!(o.rounds > 0)) fail('--rounds must be above 0');
  const server = await startServer();
  const cold = [];
  const warm = [];
  const loads = [];
  try {
    for (let round = 0; round < o.rounds; round++) {
      const browser = await launchBrowser();
      try {
        cold.push(await visit(browser.context, server.url));
        warm.push(await visit(browser.context, server.url));
      } finally {
        await browser.close();
      }
      loads.push(os.loadavg()[0]);
      process.stderr.write(`startup: round ${round + 1}: cold ${cold.at(-1).firstStepMs} ms ` +
        `${JSON.stringify(cold.at(-1).milestones)}, warm ${warm.at(-1).firstStepMs} ms ` +
        `${JSON.stringify(warm.at(-1).milestones)} (load ${loads.at(-1).toFixed(1)})\n`);
    }
  } finally {
    await server.close();
  }
  const medians = (visits) => Object.fromEntries(Object.keys(visits[0].milestones)
    .map((k) => [k, wholeMedian(visits.map((v) => v.milestones[k]))]));
  printResult({
    name: 'startup', engine: 'chromium',
    cold_first_step_ms: wholeMedian(cold.map((v) => v.firstStepMs)),
    warm_first_step_ms: wholeMedian(warm.map((v) => v.firstStepMs)),
    rounds: o.rounds, cold: cold.map((v) => v.firstStepMs), warm: warm.map((v) => v.firstStepMs),
    milestones: { cold: medians(cold), warm: medians(warm) },
    load: loads.map((l) => Number(l.toFixed(1))),
  });
}

runMain(main);

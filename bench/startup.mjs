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

function parseArgs(argv) {
  const o = { rounds: 5 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds' && Number(argv[i + 1]) > 0) o.rounds = Number(argv[++i]);
    else {
      process.stderr.write('usage: node bench/startup.mjs [--rounds N]\n');
      process.exit(2);
    }
  }
  return o;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
};

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
  const o = parseArgs(process.argv.slice(2));
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
    .map((k) => [k, median(visits.map((v) => v.milestones[k]))]));
  process.stdout.write(`${JSON.stringify({
    name: 'startup', engine: 'chromium',
    cold_first_step_ms: median(cold.map((v) => v.firstStepMs)),
    warm_first_step_ms: median(warm.map((v) => v.firstStepMs)),
    rounds: o.rounds, cold: cold.map((v) => v.firstStepMs), warm: warm.map((v) => v.firstStepMs),
    milestones: { cold: medians(cold), warm: medians(warm) },
    load: loads.map((l) => Number(l.toFixed(1))),
  })}\n`);
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});

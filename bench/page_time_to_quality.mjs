#!/usr/bin/env node
// Time to quality in the page itself: opens the built trainer page (build/web) in headless
// Debian Chromium, lets it train the way a visitor's tab does (default corpus, default settings,
// no click), and at each checkpoint of training time presses Pause, then "Evaluate on all of it"
// (the whole held-out last 10% of tinyshakespeare), then Resume. The evaluations are not counted
// on the training clock; everything else the page does while training (periodic validation on a
// slice, live samples, autosave, the chart) is. Prints one JSON line:
//   {"name":"page-time-to-quality","engine":"chromium","first_step_ms","chars_per_sec_shown",
//    "val_loss_3min","val_loss_10min","checkpoints":[{"minutes","val_loss","iteration","epoch"}],...}
//
//   node bench/page_time_to_quality.mjs [--minutes 3,10]
//   (build first: scripts/build.sh wasm web; about 11 minutes with the default checkpoints)
//
// With --budget 3,10,60: for each, Train for that long as a visitor does (choose it, press Train:
// a new model with the recipe for the text and the time), wait until the page pauses at the
// budget's end, then "Evaluate on all of it". One JSON line per budget:
//   {"name":"page-time-to-quality","budget_minutes","val_loss","iteration","epoch","trained_minutes",...}
import { startServer, launchBrowser } from '../tests/browser/harness.mjs';
import { openTrainer, figures, status, waitForIteration, waitForStatus, clickTrain, message } from '../tests/browser/trainer-helpers.mjs';
import { median, numberList, parseOptions, printResult, runMain } from './lib.mjs';

const HOUR = 3600000;

function options() {
  const { o, fail } = parseOptions(import.meta.url,
    'usage: node bench/page_time_to_quality.mjs [--minutes 3,10] [--budget 3,10,60]', { defaults: { minutes: '3,10', budget: '' } });
  o.minutes = numberList(o.minutes).sort((a, b) => a - b);
  o.budget = o.budget ? numberList(o.budget) : [];
  if (!o.minutes.every((m) => m > 0)) fail('--minutes takes minutes above 0, separated by commas');
  return o;
}

// Pauses, evaluates on the whole held-out text, resumes. Returns the figures and the page's
// clock (performance.now()) at the Pause and at the Resume click, so the caller's training clock
// stops and restarts where the page's training did.
async function evaluateFull(page) {
  const pageNow = () => page.evaluate(() => performance.now());
  if (await status(page) !== 'training') throw new Error(`the page stopped training (${await status(page)})`);
  const pausedAt = await pageNow();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitForStatus(page, 'paused', HOUR);
  await page.evaluate(() => { delete document.getElementById('full-val-result').dataset.valLoss; });
  await page.getByRole('button', { name: 'Evaluate on all of it' }).click();
  await page.waitForFunction(() => document.getElementById('full-val-result').dataset.valLoss, null, { timeout: HOUR });
  const valLoss = Number(await page.getAttribute('#full-val-result', 'data-val-loss'));
  const f = await figures(page);
  const resumedAt = await pageNow();
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStatus(page, 'training', HOUR);
  return { cp: { val_loss: +valLoss.toFixed(4), iteration: f.iteration, epoch: +f.epoch.toFixed(3) }, pausedAt, resumedAt };
}

/** One run of Train for `minutes` (see the top of this file). */
async function budgetRun(browser, url, minutes) {
  const page = await openTrainer(browser.context, url);
  try {
    await waitForIteration(page, 1, HOUR);
    await page.getByLabel('Train for').selectOption(String(minutes));
    const session = () => page.evaluate(() => Number(document.getElementById('model-info').dataset.session));
    const before = await session();
    await clickTrain(page);
    await page.waitForFunction((n) => Number(document.getElementById('model-info').dataset.session) > n, before,
      { timeout: HOUR });
    const info = (await page.textContent('#model-info')).trim();
    process.stderr.write(`page-ttq: Train for ${minutes} minutes: ${info}\n`);
    const shown = [];
    while (await status(page) === 'training') {
      await page.waitForTimeout(5000);
      const f = await figures(page);
      if (Number.isFinite(f.charsPerSec)) shown.push(f.charsPerSec);
    }
    await message(page, 'budget', HOUR); // paused by the budget's end, not by anything else
    const budget = await page.evaluate(() => ({ ...document.getElementById('fig-time-left').dataset }));
    await page.evaluate(() => { delete document.getElementById('full-val-result').dataset.valLoss; });
    await page.getByRole('button', { name: 'Evaluate on all of it' }).click();
    await page.waitForFunction(() => document.getElementById('full-val-result').dataset.valLoss, null, { timeout: HOUR });
    const valLoss = Number(await page.getAttribute('#full-val-result', 'data-val-loss'));
    const f = await figures(page);
    return { name: 'page-time-to-quality', engine: 'chromium', budget_minutes: minutes, val_loss: +valLoss.toFixed(4),
      iteration: f.iteration, epoch: +f.epoch.toFixed(3), trained_minutes: +Number(budget.elapsedMinutes).toFixed(2),
      chars_per_sec_shown: Math.round(median(shown)), model: info, reason: (await page.textContent('#recipe-reason')).trim(),
      threads: Number(await page.inputValue('#threads')), browser: browser.context.browser()?.version() ?? 'chromium' };
  } finally {
    await page.close();
  }
}

async function main() {
  const o = options();
  if (o.budget.length) {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      for (const minutes of o.budget) printResult(await budgetRun(browser, server.url, minutes));
    } finally {
      await browser.close();
      await server.close();
    }
    return;
  }
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await openTrainer(browser.context, server.url);
    await waitForIteration(page, 1, HOUR);
    const firstStepMs = (await figures(page)).firstStepMs;
    const settings = await page.evaluate(() => Object.fromEntries(
      [...document.querySelectorAll('.settings-card input, .settings-card select')].map((el) => [el.id, el.value])));
    const info = await page.textContent('#model-info');
    process.stderr.write(`page-ttq: first step ${firstStepMs} ms after the page opened; ${info.trim()}\n`);

    // The training clock, in the page's own time (performance.now()): it runs from the first
    // step (when the page saw it) and stops from each Pause click to the next Resume click.
    const pageNow = () => page.evaluate(() => performance.now());
    let trainedMs = 0;
    let since = firstStepMs;
    const shown = [];
    const checkpoints = [];
    for (const minutes of o.minutes) {
      for (;;) {
        const left = minutes * 60000 - (trainedMs + (await pageNow()) - since);
        if (left <= 0) break;
        await page.waitForTimeout(Math.min(5000, left));
        const f = await figures(page);
        if (Number.isFinite(f.charsPerSec)) shown.push(f.charsPerSec);
      }
      const { cp: figuresThen, pausedAt, resumedAt } = await evaluateFull(page);
      trainedMs += pausedAt - since;
      since = resumedAt;
      const cp = { minutes, ...figuresThen, trained_seconds: +(trainedMs / 1000).toFixed(1) };
      checkpoints.push(cp);
      process.stderr.write(`page-ttq: ${JSON.stringify(cp)}\n`);
    }
    const at = (m) => checkpoints.find((c) => c.minutes === m)?.val_loss ?? null;
    const result = {
      name: 'page-time-to-quality', engine: 'chromium',
      first_step_ms: firstStepMs, chars_per_sec_shown: Math.round(median(shown)),
      val_loss_3min: at(3), val_loss_10min: at(10), checkpoints, model: info.trim(), settings,
      browser: browser.context.browser()?.version() ?? 'chromium',
    };
    printResult(result);
    if (page.errors.length) process.stderr.write(`page-ttq: page errors: ${page.errors.join('; ')}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

runMain(main);

#!/usr/bin/env node
// A small text in the page, as a visitor brings one: the first 30 kB of a text pasted into the
// trainer page, Train for 3 minutes (the recipe for its size), and when the page pauses at the
// budget's end: the validation loss of the latest and of the best weights kept, the training loss,
// and how much of five samples (temperature 0.8, 400 characters) is copied from the text (the share
// of their 20-character windows found verbatim in it). With --settings old, the model the page
// trained whatever the text before the recipe (GRU 2×192, dropout 0.05) on the same budget, for
// comparison. One JSON line:
//   {"name":"small-text","text","chars","settings","model","val_loss_latest","val_loss_best",
//    "best_iteration","iteration","train_loss","copied_share",...}
//
//   node bench/small_text.mjs [--text build/corpora/c-code.txt] [--chars 30000] [--settings recipe|old]
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, until } from '../tests/browser/harness.mjs';
import {
  openTrainer, figures, status, waitForIteration, clickTrain, fillTrainingText, sampleNow, message,
} from '../tests/browser/trainer-helpers.mjs';
import { REPO, parseOptions, printResult, runMain } from './lib.mjs';

const HOUR = 3600000;
const WINDOW = 20;

function options() {
  const { o, fail } = parseOptions(import.meta.url,
    'usage: node bench/small_text.mjs [--text FILE] [--chars 30000] [--settings recipe|old]',
    { defaults: { text: path.join(REPO, 'build', 'corpora', 'c-code.txt'), chars: 30000, settings: 'recipe' } });
  if (!['recipe', 'old'].includes(o.settings)) fail('--settings takes recipe or old');
  return o;
}

// The share of the sample's WINDOW-character windows that occur verbatim in the text.
function copiedShare(sample, text) {
  let found = 0;
  let windows = 0;
  for (let i = 0; i + WINDOW <= sample.length; i++) {
    windows++;
    if (text.includes(sample.slice(i, i + WINDOW))) found++;
  }
  return windows ? found / windows : 0;
}

async function main() {
  const o = options();
  const text = [...fs.readFileSync(o.text, 'utf8')].slice(0, o.chars).join('');
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await openTrainer(browser.context, server.url);
    await waitForIteration(page, 1, HOUR);
    await fillTrainingText(page, text);
    await page.getByLabel('Train for').selectOption('3');
    if (o.settings === 'old') {
      for (const [label, value] of [['Cell type', 'gru'], ['Layers', '2'], ['Hidden size', '192'], ['Dropout', '0.05']]) {
        const field = page.getByLabel(label, { exact: true });
        if (await field.evaluate((el) => el.tagName) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
        await field.dispatchEvent('change');
      }
    }
    const before = await page.evaluate(() => Number(document.getElementById('model-info').dataset.session));
    await clickTrain(page);
    await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, before, 'a new model', HOUR);
    const model = (await page.textContent('#model-info')).trim();
    while (await status(page) === 'training') await page.waitForTimeout(5000);
    await message(page, 'budget', HOUR);
    const f = await figures(page);
    const best = await page.evaluate(() => ({ ...document.getElementById('best-status').dataset }));
    const samples = [];
    for (let i = 0; i < 5; i++) samples.push((await sampleNow(page)).gen);
    const shares = samples.map((s) => copiedShare(s, text));
    printResult({ name: 'small-text', text: path.basename(o.text), chars: o.chars, settings: o.settings, model,
      reason: (await page.textContent('#recipe-reason')).trim(), iteration: f.iteration,
      train_loss: +f.trainLoss.toFixed(4), val_loss_latest: +f.valLoss.toFixed(4),
      val_loss_best: best.valLoss ? +Number(best.valLoss).toFixed(4) : null, best_iteration: Number(best.iteration) || null,
      copied_share: +(shares.reduce((a, b) => a + b, 0) / shares.length).toFixed(3), window_chars: WINDOW,
      sample: samples[0].slice(0, 200) });
  } finally {
    await browser.close();
    await server.close();
  }
}

runMain(main);

// The trainer page in headless Chromium: it trains the default model on the default text without
// a click, the loss falls, samples appear and change, temperature and priming change the output,
// pause and resume work from the keyboard, no main-thread task passes 50 ms while it trains, every
// control has a name, and it works offline after the first load.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { screenshotDir, until, nextFrame } from './harness.mjs';
import {
  LONG, openTrainer, figures, status, waitForFigures, waitForIteration, waitForStatus, pause, sampleNow,
  setTemperature, distinct, longTasksInWindows,
  trainerPageFixture,
} from './trainer-helpers.mjs';

const fixture = trainerPageFixture();
let server;
let browser;
let page;
before(async () => ({ server, browser, page } = await fixture.ready));

test('trains the default model on the default text without a click', { timeout: LONG }, async () => {
  const first = await waitForIteration(page, 1, 60000);
  assert.equal(await status(page), 'training');
  assert.ok(first.firstStepMs > 0, 'the page records when the first step arrived');
  console.log(`# page load to first training step: ${first.firstStepMs} ms`);
  const text = await page.getByLabel('Training text').inputValue();
  assert.ok(text.startsWith('First Citizen:'), 'the text area holds the Shakespeare corpus');
  // The line under the text: the engine's count of the whole corpus (1,115,394 characters, 65 symbols).
  await page.waitForFunction(() => document.getElementById('text-stats').dataset.chars === '1115394');
  assert.equal(await page.getAttribute('#text-stats', 'data-symbols'), '65');
  assert.match(await page.textContent('#text-stats'), /1,003,855 for training, 111,539 for validation/);
  assert.deepEqual(page.errors, []);
});

test('the loss falls within a bounded time', { timeout: LONG }, async () => {
  const start = await waitForFigures(page, (f) => Number.isFinite(f.firstLoss), 'a training loss');
  // An untrained model guesses uniformly among 65 symbols: ln 65 = 4.17 nats.
  assert.ok(Math.abs(start.firstLoss - Math.log(65)) < 0.3, `first loss ${start.firstLoss} is near ln 65`);
  const later = await waitForFigures(page, (f) => f.trainLoss < 3.0 && f.valLoss < 3.2,
    'training loss below 3.0 and validation loss below 3.2');
  assert.ok(later.iteration > start.iteration);
  assert.ok(later.charsPerSec > 0 && later.msPerIter > 0);
  console.log(`# characters/s shown for the default settings: ${Math.round(later.charsPerSec)} ` +
    `(${later.msPerIter.toFixed(0)} ms/iteration) at iteration ${later.iteration}`);
  assert.match(await page.textContent('#fig-cps'), /^[\d,]+$/);
});

test('a sample appears every few seconds and changes', { timeout: LONG }, async () => {
  await until(page, () => Number(document.getElementById('sample-text').dataset.count) >= 1,
    null);
  const one = await page.textContent('#sample-text');
  const iterationOne = Number(await page.getAttribute('#sample-text', 'data-iteration'));
  await until(page, (n) => Number(document.getElementById('sample-text').dataset.count) > n,
    Number(await page.getAttribute('#sample-text', 'data-count')));
  const two = await page.textContent('#sample-text');
  assert.notEqual(two, one);
  assert.ok(Number(await page.getAttribute('#sample-text', 'data-iteration')) > iterationOne);
  assert.ok((await page.textContent('#greedy-text')).length > 0, 'the greedy line is there');
  // The earlier sample moved into the history, with the iteration it came from.
  const history = page.locator('#history li').first();
  assert.equal(await history.locator('pre').textContent(), one);
  assert.match(await history.locator('.history-meta').textContent(), new RegExp(`iteration ${iterationOne}\\b`));
});

test('no main-thread task longer than 50 ms while training and using the page', { timeout: LONG }, async () => {
  // A window of training and use: samples, the temperature slider, typing, the chart toggle,
  // scrolling, then 15 more iterations and a validation (repeated if the OS paused the page).
  const windows = await longTasksInWindows(page, async (attempt) => {
    const from = await waitForFigures(page, (f) => f.iteration >= 1, 'training under way');
    await setTemperature(page, 1.2 - attempt * 0.2);
    await page.getByLabel('Priming text').fill(['ROMEO:', 'JULIET:', 'KING:'][attempt]);
    await sampleNow(page);
    await page.getByLabel('Bits per character').check();
    await page.getByLabel('Bits per character').uncheck();
    await page.mouse.wheel(0, 800);
    await page.mouse.wheel(0, -800);
    await waitForFigures(page, (f) => f.iteration >= from.iteration + 15 && f.valIteration > from.iteration,
      `15 more iterations and a validation after iteration ${from.iteration}`);
    await page.getByLabel('Priming text').fill('');
  });
  assert.deepEqual(windows.at(-1), [], `long tasks in every window: ${JSON.stringify(windows)}`);
});

test('pause and resume, from the keyboard', { timeout: LONG }, async () => {
  await page.getByRole('button', { name: 'Pause', exact: true }).focus();
  await page.keyboard.press('Enter');
  await waitForStatus(page, 'paused');
  const paused = (await figures(page)).iteration;
  await page.waitForTimeout(1500); // a paused trainer must stay put: nothing to wait for but time
  assert.equal((await figures(page)).iteration, paused, 'no steps while paused');
  await page.getByRole('button', { name: 'Resume', exact: true }).focus();
  await page.keyboard.press(' ');
  await waitForStatus(page, 'training');
  await waitForIteration(page, paused + 2);
});

test('temperature and priming change the output', { timeout: LONG }, async () => {
  // A model that has learned something: an untrained one answers every priming text the same way.
  await waitForFigures(page, (f) => f.trainLoss < 2.6, 'a training loss below 2.6');
  await pause(page);
  await page.getByLabel('Sample length').fill('400');
  await page.getByLabel('Sample length').press('Tab');

  // Priming: the greedy continuation depends on the priming text, and only on it.
  await page.getByLabel('Priming text').fill('ROMEO:');
  const romeo = await sampleNow(page);
  assert.equal(romeo.prime, 'ROMEO:');
  assert.equal(romeo.gen.length, 400);
  await page.getByLabel('Priming text').fill('The king');
  const king = await sampleNow(page);
  assert.equal(king.prime, 'The king');
  assert.notEqual(king.greedy, romeo.greedy, 'a different priming text gives a different continuation');
  assert.equal(romeo.greedyPrime, romeo.prime, 'the greedy line shows the priming text it continues');
  await page.getByLabel('Priming text').fill('ROMEO:');
  assert.equal((await sampleNow(page)).greedy, romeo.greedy, 'the same priming text gives the same greedy line');

  // A priming character the model has never seen: said so, and left out; the rest still primes.
  await page.getByLabel('Priming text').fill('ROMEO€:');
  const euro = await sampleNow(page);
  assert.equal(euro.prime, 'ROMEO:');
  assert.equal(euro.greedy, romeo.greedy, 'primed exactly as with ROMEO:');
  assert.match(await page.textContent('#prime-error'), /priming text's “€” is not in the model's vocabulary and was left out/);
  await page.getByLabel('Priming text').fill('ROMEO:');
  await sampleNow(page);
  assert.equal(await page.isVisible('#prime-error'), false);

  // Temperature: cold samples stick to a few likely characters, hot ones use many.
  await setTemperature(page, 0.1);
  const cold = await sampleNow(page);
  await setTemperature(page, 2);
  const hot = await sampleNow(page);
  assert.equal(await page.textContent('#temperature-value'), '2.00');
  assert.ok(distinct(hot.gen) > distinct(cold.gen) + 8,
    `hot sample uses ${distinct(hot.gen)} symbols, cold one ${distinct(cold.gen)}`);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStatus(page, 'training');
});

test('a dropped 5 MB text file loads without stalling the page', { timeout: LONG }, async () => {
  await page.evaluate(async () => {
    const corpus = await (await fetch('corpora/tinyshakespeare.txt')).text();
    window.bigFile = new File([corpus.repeat(5)], 'five-plays.txt', { type: 'text/plain' });
  });
  // Each window (repeated if the OS paused the page) does the whole job: an empty text area and
  // stats line to fill.
  const emptyTheTextPanel = async () => {
    await page.evaluate(() => {
      document.getElementById('text-stats').replaceChildren();
      document.getElementById('text').value = '';
    });
    await nextFrame(page); // the emptied panel drawn before the observed window opens
  };
  const windows = await longTasksInWindows(page, async () => {
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(window.bigFile);
      const zone = document.getElementById('data-card');
      for (const type of ['dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    await until(page, () => document.getElementById('text-stats').textContent.startsWith('five-plays.txt:'),
      null, 'the stats line of five-plays.txt');
    await nextFrame(page); // the text area's first paint happens inside the observed window
  }, emptyTheTextPanel);
  assert.deepEqual(windows.at(-1), [], `long tasks in every window: ${JSON.stringify(windows)}`);
  assert.equal(await page.getAttribute('#text-stats', 'data-chars'), String(5 * 1115394));
  assert.match(await page.textContent('#text-note'), /Showing the first 20,000 characters of five-plays\.txt \(5\.3 MiB\)/);
  assert.equal(await status(page), 'training', 'loading a text does not stop the model');
  // Back to the default text, so the tests after this one sample the Shakespeare model as before.
  await page.getByRole('button', { name: 'Shakespeare', exact: true }).click();
  await until(page, () => document.getElementById('text-stats').textContent.startsWith('tinyshakespeare.txt:'),
    null);
});

test('every control has an accessible name', { timeout: LONG }, async () => {
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => {
      if (el.tagName === 'BUTTON') return !(el.textContent.trim() || el.getAttribute('aria-label'));
      return !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
    })
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  for (const name of ['Cell type', 'Layers', 'Hidden size', 'Embedding size', 'Sequence length', 'Batch size',
    'Optimiser', 'Learning rate', 'Learning-rate decay', 'Dropout', 'Gradient clip', 'Seed', 'Temperature',
    'Priming text', 'Sample length', 'Training text']) {
    assert.equal(await page.getByLabel(name, { exact: true }).count(), 1, `one control named ${name}`);
  }
  for (const name of ['Train', 'Pause', 'Resume', 'Reset', 'Sample', 'Save model', 'Save checkpoint', 'Load model…']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `one button named ${name}`);
  }
});

test('no button label overflows its button, and the page fits, at 1280 and 375 px', { timeout: LONG }, async () => {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 1000 });
    const layout = await page.evaluate(() => ({
      overflowing: [...document.querySelectorAll('button')]
        .filter((b) => b.offsetParent && b.scrollWidth > b.clientWidth + 1)
        .map((b) => `${b.textContent.trim()} (${b.scrollWidth} > ${b.clientWidth})`),
      pageWidth: document.documentElement.scrollWidth,
    }));
    assert.deepEqual(layout.overflowing, [], `buttons whose label overflows at ${width} px`);
    assert.ok(layout.pageWidth <= width, `the page is ${layout.pageWidth} px wide in a ${width} px window`);
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
});

test('a full validation, and Reset asks before it discards the model', { timeout: LONG }, async () => {
  await page.getByRole('button', { name: 'Evaluate on all of it' }).click();
  await until(page, () => document.getElementById('full-val-result').dataset.valLoss, null);
  assert.match(await page.textContent('#full-val-result'), /^\d\.\d{4} nats\/char over all 111,539 characters, at iteration \d+/);

  const info = await page.textContent('#model-info');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await page.textContent('#model-info'), info);
  assert.equal(await status(page), 'training');

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await dialog.getByRole('button', { name: 'Discard the model' }).click();
  await waitForStatus(page, 'idle');
  assert.equal(await page.textContent('#model-info'), 'No model yet.');
  assert.equal(await page.getByRole('button', { name: 'Sample', exact: true }).isDisabled(), true);
  assert.equal(await page.textContent('#fig-iteration'), '–');

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStatus(page, 'training');
  await waitForIteration(page, 2);
});

/** What a reader sees of the page while it trains: the status, the chart's plot and its text alternative, the width. */
function trainingView(p) {
  return p.evaluate(() => {
    const canvas = document.querySelector('#chart canvas');
    return { status: document.getElementById('status').textContent,
      plot: canvas ? { width: canvas.width, height: canvas.height } : null,
      chart: document.getElementById('chart').getAttribute('aria-label'),
      pageWidth: document.documentElement.scrollWidth, viewWidth: document.documentElement.clientWidth };
  });
}

test('the page while training, wide and on a phone: status, a drawn chart with both losses, no sideways scroll',
  { timeout: LONG }, async () => {
    await waitForFigures(page, (f) => f.valIteration > 0, 'a validation point');
    await page.evaluate(() => window.scrollTo(0, 0));
    await until(page, () => /validation loss [\d.]+ nats\/char at iteration/.test(
      document.getElementById('chart').getAttribute('aria-label')), null, 'the chart to draw a validation point');
    const wide = await trainingView(page);
    assert.equal(wide.status, 'Training');
    assert.ok(wide.plot?.width > 400 && wide.plot.height > 150, `the plot is drawn: ${JSON.stringify(wide.plot)}`);
    assert.match(wide.chart, /^Loss chart: iteration [\d,]+, training loss \(smoothed\) [\d.]+ nats\/char, validation loss/);
    assert.ok(wide.pageWidth <= wide.viewWidth, `no sideways scroll at 1440 px: ${wide.pageWidth} > ${wide.viewWidth}`);
    await page.screenshot({ path: path.join(screenshotDir, 'trainer-page.png'), fullPage: true });
    await pause(page); // one model training at a time on this small machine
    const narrow = await openTrainer(browser.context, server.url, { width: 420, height: 900 });
    await waitForFigures(narrow, (f) => f.iteration >= 5, 'a few iterations in the narrow page');
    await until(narrow, () => /training loss \(smoothed\) [\d.]+/.test(
      document.getElementById('chart').getAttribute('aria-label')), null, 'the narrow page\'s chart to draw');
    const phone = await trainingView(narrow);
    assert.equal(phone.status, 'Training');
    assert.ok(phone.plot?.width > 200 && phone.plot.height > 100, `the plot is drawn: ${JSON.stringify(phone.plot)}`);
    assert.ok(phone.pageWidth <= phone.viewWidth, `no sideways scroll at 420 px: ${phone.pageWidth} > ${phone.viewWidth}`);
    assert.deepEqual(narrow.errors, []);
    await narrow.screenshot({ path: path.join(screenshotDir, 'trainer-page-narrow.png'), fullPage: false });
    await narrow.close();
  });

test('works offline after the first load', { timeout: LONG }, async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await until(page, async () => (await caches.keys()).length > 0 &&
    (await (await caches.open((await caches.keys())[0])).keys()).length >= 8, null);
  await browser.context.setOffline(true);
  try {
    const offline = await openTrainer(browser.context, server.url);
    await waitForIteration(offline, 1);
    assert.deepEqual(offline.errors, []);
    await offline.close();
  } finally {
    await browser.context.setOffline(false);
  }
});

// Threads in the page: the training worker runs one shard of every batch and helper workers the
// others. The page trains with two, the loss falls, Threads changes the number at once (the model
// goes on), pause, reset, save and load still work, a helper that crashes leaves its shard to the
// training worker, and where helpers cannot start the page trains in one thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, until } from './harness.mjs';
import { defaultThreads } from '../../web/settings/defaults.js';
import {
  LONG, openTrainer, figures, waitForFigures, waitForIteration, waitForStatus, message, pause, saveWith,
  loadModelFile,
} from './trainer-helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const threadsShown = (page) => page.evaluate(() => ({ ...document.getElementById('threads').dataset }));

async function waitForThreads(page, threads, running) {
  await until(page, ([t, r]) => {
    const d = document.getElementById('threads').dataset;
    return d.threads === String(t) && d.running === String(r);
  }, [threads, running]);
}

async function setThreads(page, n) {
  await page.getByLabel('Threads').fill(String(n));
  await page.getByLabel('Threads').press('Enter');
}

const helperWorkers = (page) => page.workers().filter((w) => w.url().includes('shard_helper_worker'));

test('the page trains with two workers; Threads, pause, reset, save and load work', { timeout: LONG * 2 }, async () => {
  const page = await openTrainer(browser.context, server.url);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.getByLabel('Threads').inputValue(), String(defaultThreads(cores)), 'the default');
  await setThreads(page, 2);
  await waitForThreads(page, 2, 2);
  await page.waitForFunction(() => document.getElementById('threads-note').textContent.includes('2 in use'));
  const first = await waitForFigures(page, (f) => f.iteration >= 2 && f.trainLoss > 0, 'a training loss');
  const later = await waitForFigures(page, (f) => f.trainLoss < first.trainLoss - 0.3, 'the loss to fall');
  assert.ok(helperWorkers(page).length >= 1, 'a helper worker runs');
  // Where a step's time went with helpers (bench/page_threads.mjs reads it): four parts.
  const parts = await waitForFigures(page, (f) => f.stepOwnShardMs > 0, 'the step timing with helpers');
  for (const k of ['stepSendMs', 'stepWaitMs', 'stepFinishMs']) assert.ok(parts[k] >= 0, `${k} ${parts[k]}`);

  await pause(page);
  const paused = (await figures(page)).iteration;
  await page.waitForTimeout(1000); // nothing should happen: a short look is enough to see steps
  assert.equal((await figures(page)).iteration, paused, 'paused means no steps, helpers included');

  // Threads applies at once to the model in training, which goes on from where it was.
  await setThreads(page, 1);
  await waitForThreads(page, 1, 1);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForIteration(page, paused + 3);
  await waitForFigures(page, (f) => f.stepOwnShardMs === undefined, 'no step timing in one thread');
  await setThreads(page, 3);
  await waitForThreads(page, 3, 3);
  const three = await waitForIteration(page, (await figures(page)).iteration + 3);
  assert.ok(three.trainLoss < first.trainLoss, 'the same run goes on');

  // A saved checkpoint loads and trains on the threads in force.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threads-'));
  const saved = await saveWith(page, 'Save checkpoint', dir);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Discard the model' }).click();
  await until(page, () => document.getElementById('model-info').textContent === 'No model yet.', null);
  await loadModelFile(page, saved.file);
  await page.waitForFunction(() => document.getElementById('threads').dataset.threads === '3');
  // Paused after loading, its helpers have not started: that is not a fault.
  await until(page, () => /3 in use once training runs \(the other 2 start with it\)/
    .test(document.getElementById('threads-note').textContent), null);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForThreads(page, 3, 3); // the helpers start with the first steps
  await waitForIteration(page, saved.iteration + 3);
  assert.deepEqual(page.errors, []);
  assert.ok(later.iteration > 0);
  await page.close();
});

test('a helper worker that crashes leaves its shard to the training worker', { timeout: LONG }, async () => {
  const page = await openTrainer(browser.context, server.url);
  await setThreads(page, 2);
  await waitForThreads(page, 2, 2);
  const before = (await waitForIteration(page, 2)).iteration;
  const [helper] = helperWorkers(page);
  await helper.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }));
  const note = await message(page, 'threads');
  assert.match(await note.textContent(), /Training goes on in one thread/);
  await waitForThreads(page, 2, 1);
  assert.match(await page.textContent('#threads-note'), /1 of 2 running/);
  await waitForIteration(page, before + 5);
  await page.close();
});

test('where workers cannot start workers, the page trains in one thread and says so', { timeout: LONG }, async () => {
  const page = await browser.context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(new URL('/?test&no-nested-workers', server.url).href);
  await waitForIteration(page, 1);
  await setThreads(page, 2);
  const note = await message(page, 'threads');
  assert.match(await note.textContent(), /cannot start workers from a worker.*Training goes on in one thread/);
  await waitForThreads(page, 2, 1);
  await waitForIteration(page, 5);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a number Threads cannot take gets a message in view with the range; more threads than cores a hint',
  { timeout: LONG }, async () => {
    const page = await openTrainer(browser.context, server.url, { width: 1280, height: 800,
      initScript: () => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }) });
    await waitForIteration(page, 1);
    const box = page.getByLabel('Threads');
    const error = page.locator('#threads-error');
    const inView = () => error.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    for (const typed of ['0', '100', '1.5', 'abc']) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await box.click();
      await box.press('Control+A');
      await box.pressSequentially(typed); // a number box takes "abc" as typed, with the value ""
      await box.press('Enter');
      await error.waitFor({ state: 'visible' });
      const expected = typed === 'abc' ? /^That is not/ : new RegExp(`^“${typed.replace('.', '\\.')}” is not`);
      assert.match(await error.textContent(), expected);
      assert.match(await error.textContent(), /type a whole number from 1 to 32\. Training goes on with 2\.$/);
      assert.ok(await inView(), `the message for ${typed} is on screen`);
      assert.equal(await box.inputValue(), '2', 'the box shows the number in use again');
    }
    // The worker's reports (the note under the box) leave the message alone until a good number.
    const at = (await figures(page)).iteration;
    await waitForIteration(page, at + 2);
    assert.equal(await error.isVisible(), true);

    await setThreads(page, 3);
    await waitForThreads(page, 3, 3);
    assert.equal(await error.isVisible(), false, 'a number it takes clears the message');
    assert.match(await page.textContent('#threads-note'),
      /^This device has 2 cores\. More threads than cores will not train faster\. 3 in use\.$/);
    await setThreads(page, 2);
    await waitForThreads(page, 2, 2);
    assert.doesNotMatch(await page.textContent('#threads-note'), /More threads/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

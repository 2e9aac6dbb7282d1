// The strict page: the trainer and the widget's example page run under their
// Content-Security-Policy (sent by the server and carried in a <meta> tag) with no violation while
// the trainer trains, samples, saves and loads; a file dropped anywhere on the page is used (a
// text, a model) or refused with a message, never left for the browser to open in place of the
// page; and leaving asks first while a model trains that no file or autosave holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, until, poll } from './harness.mjs';
import {
  LONG, openTrainer, figures, status, waitForIteration, waitForStatus, message, pause, sampleNow, saveWith,
  loadModelFile, dropFiles, confirmReplaceIfAsked,
} from './trainer-helpers.mjs';
import { TRAINER_POLICY, EMBED_POLICY } from '../../web/csp.mjs';

let server;
let browser;
let page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-strict-'));

/**
 * Records what a policy reports: `securitypolicyviolation` events in the page (window.violations)
 * and in its workers (self.violations, read with workerViolations), and console errors. A listener
 * that could not be installed in a worker that still runs fails the test when the violations are
 * read: "no violations" must mean none were seen, not that none could be.
 */
async function watchPolicy(p) {
  p.consoleErrors = [];
  p.on('console', (m) => {
    if (m.type() === 'error') p.consoleErrors.push(m.text());
  });
  p.workerListeners = new Map(); // worker -> the promise of its listener's installation
  p.on('worker', (w) => {
    const installing = w.evaluate(() => {
      self.violations = [];
      self.addEventListener('securitypolicyviolation', (e) => self.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    installing.catch(() => {}); // a worker that ended meanwhile is not read; one that runs is (workerViolations)
    p.workerListeners.set(w, installing);
  });
  await p.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

const pageViolations = (p) => p.evaluate(() => window.violations);

/** The violations each running worker saw; fails if a running worker has no listener. */
async function workerViolations(p) {
  return Promise.all(p.workers().map(async (w) => {
    const installed = p.workerListeners.get(w);
    assert.ok(installed, `a violation listener was installed in ${w.url()}`);
    await installed.catch((e) => assert.fail(`the violation listener could not be installed in ${w.url()}: ${e.message}`));
    const seen = await w.evaluate(() => self.violations);
    assert.ok(Array.isArray(seen), `the violation listener is in ${w.url()}`);
    return seen;
  }));
}

/** An inline script and a string made code: both must be refused, and reported. */
async function probePage(p) {
  await p.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.append(s);
    setTimeout('window.stringRan = true'); // eslint-disable-line no-implied-eval
  });
  await until(p, () => window.violations.length >= 2, null, 'the two violations reported');
  assert.deepEqual(await p.evaluate(() => [window.inlineRan, window.stringRan]), [undefined, undefined]);
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await watchPolicy(page);
  await page.goto(`${server.url}/?test`);
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the pages carry their policy, in the header and in a <meta> tag', { timeout: LONG }, async () => {
  for (const [at, policy] of [['/', TRAINER_POLICY], ['/embed/', EMBED_POLICY]]) {
    const response = await fetch(server.url + at);
    assert.equal(response.headers.get('content-security-policy'), policy, `the header of ${at}`);
    const html = await response.text();
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
    assert.equal(meta?.[1], policy, `the <meta> tag of ${at}`);
    assert.ok(html.indexOf(meta[0]) < html.search(/<script|<link rel="stylesheet"|<style/), 'before any script or style');
  }
  for (const policy of [TRAINER_POLICY, EMBED_POLICY]) {
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(policy, /worker-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /(^|\s)'unsafe-eval'|script-src[^;]*unsafe-inline/);
  }
  // The worker scripts get it too (a worker takes its policy from its own response).
  const worker = await fetch(`${server.url}/worker.js`);
  assert.equal(worker.headers.get('content-security-policy'), TRAINER_POLICY);
});

test('the trainer trains, samples, saves and loads under its policy with no violation', { timeout: LONG }, async () => {
  await waitForIteration(page, 3);
  const sample = await sampleNow(page);
  assert.equal(sample.gen.length, 300);
  await pause(page);
  const saved = await saveWith(page, 'Save checkpoint', tmp);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForIteration(page, saved.iteration + 1);
  const note = await loadModelFile(page, saved.file);
  assert.match(await note.getAttribute('class'), /notice-success/, await note.textContent());
  assert.equal((await figures(page)).iteration, saved.iteration);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForIteration(page, saved.iteration + 2);

  assert.deepEqual(await pageViolations(page), []);
  assert.deepEqual((await workerViolations(page)).flat(), []);
  assert.deepEqual(page.consoleErrors, []);
  assert.deepEqual(page.errors, []);

  // The policy is in force, and a violation would have been seen: in the page and in its worker.
  await probePage(page);
  assert.ok(page.consoleErrors.some((e) => /Content Security Policy/.test(e)), 'the console reports it too');
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout('self.stringRan = true')); // eslint-disable-line no-implied-eval
  await poll(() => worker.evaluate(() => self.violations.length > 0), 'the worker to report the violation');
  assert.equal(await worker.evaluate(() => self.stringRan), undefined);
  assert.ok((await workerViolations(page)).flat().some((v) => /script-src/.test(v)), 'the worker reports it');
  page.consoleErrors.length = 0;
  await page.evaluate(() => { window.violations.length = 0; });
});

test('the widget\'s example page works under its policy with no violation', { timeout: LONG }, async () => {
  const embed = await browser.context.newPage();
  await watchPolicy(embed);
  await embed.goto(`${server.url}/embed/`);
  await until(embed, () => {
    const widgets = [...document.querySelectorAll('char-rnn')];
    return widgets.length === 6 && widgets.every((w) => w.state === 'done' || w.state === 'error');
  }, null);
  assert.deepEqual(await embed.evaluate(() => [...document.querySelectorAll('char-rnn')].map((w) => w.state)),
    ['done', 'done', 'done', 'done', 'done', 'error'], 'two models sample, three inspect, the missing one says so');
  assert.deepEqual(await pageViolations(embed), []);
  assert.deepEqual((await workerViolations(embed)).flat(), []);
  // The one console error is the missing model's 404, which the page shows on purpose.
  assert.deepEqual(embed.consoleErrors.filter((e) => !/status of 404/.test(e)), []);
  await probePage(embed);
  await embed.close();
});

test('a text file dropped anywhere on the page becomes the training text', { timeout: LONG }, async () => {
  const text = 'Aaronic\nAbaris\nBelinda\nCassio\n'.repeat(200);
  for (const selector of ['#chart', 'header', '#settings-heading']) {
    await page.evaluate(() => document.querySelectorAll('[data-message="text-file"]').forEach((e) => e.remove()));
    const name = `names-${selector.replace(/\W/g, '')}.txt`;
    const taken = await dropFiles(page, selector, [{ name, type: 'text/plain', text }]);
    assert.deepEqual(taken, { dragover: true, drop: true }, `the page takes a file dropped on ${selector}`);
    await until(page, (n) => document.getElementById('text-stats').textContent.startsWith(`${n}:`), name);
    assert.match(await (await message(page, 'text-file')).textContent(), new RegExp(`Loaded “${name}”`));
  }
  assert.equal(await page.getByLabel('Training text').inputValue(), text);
  assert.equal(await status(page), 'training', 'the model goes on until Train');
});

test('a model dropped on the page is loaded; anything else is refused with a message', { timeout: LONG }, async () => {
  // The names model, on names it knows (the text dropped above).
  const names = await dropFiles(page, '#samples-heading',
    [{ name: 'names.safetensors', type: '', url: 'models/names.safetensors' }]);
  assert.deepEqual(names, { dragover: true, drop: true });
  await confirmReplaceIfAsked(page, '[data-message="load"]'); // the model training meanwhile may be unsaved
  const loaded = await message(page, 'load');
  assert.match(await loaded.textContent(), /Loaded “names\.safetensors”/);
  await waitForStatus(page, 'paused');
  assert.match(await page.textContent('#model-info'), /trained on names-settingsheading\.txt$/);

  const before = { info: await page.textContent('#model-info'), text: await page.getByLabel('Training text').inputValue() };
  const png = await dropFiles(page, '#figures', [{ name: 'photo.png', type: 'image/png', text: '\x89PNG' }]);
  assert.deepEqual(png, { dragover: true, drop: true }, 'a picture is taken too, so the browser does not open it');
  const refused = await message(page, 'drop');
  assert.match(await refused.textContent(), /“photo\.png” is not a text file.*image\/png.*nothing changed/s);

  const two = await dropFiles(page, 'main', [{ name: 'a.txt', type: 'text/plain', text: 'a' },
    { name: 'b.txt', type: 'text/plain', text: 'b' }]);
  assert.deepEqual(two, { dragover: true, drop: true });
  await page.waitForFunction(() => /2 files were dropped/.test(document.querySelector('[data-message="drop"]')?.textContent));

  assert.equal(await page.textContent('#model-info'), before.info);
  assert.equal(await page.getByLabel('Training text').inputValue(), before.text);
  assert.equal(new URL(page.url()).pathname, '/', 'still the trainer page');
  assert.deepEqual(page.errors, []);
});

/** Closes `p` as a reader leaving would; resolves 'asked' (a beforeunload dialog, dismissed: the page stays) or 'closed'. */
async function leave(p) {
  // A page may ask only after the reader has used it: a click on the page counts.
  await p.locator('#chart-heading').click();
  const asked = new Promise((resolve) => {
    p.once('dialog', async (dialog) => {
      assert.equal(dialog.type(), 'beforeunload');
      await dialog.dismiss();
      resolve('asked');
    });
  });
  const closed = new Promise((resolve) => p.once('close', () => resolve('closed')));
  await p.close({ runBeforeUnload: true });
  return Promise.race([asked, closed]);
}

test('leaving asks first while a model trains that neither a file nor the autosave holds', { timeout: LONG }, async () => {
  // A second tab: the autosave in this browser is on offer, so autosave is off until the reader
  // chooses, and the model it starts training is nowhere else.
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await until(page, () => document.getElementById('autosave-status').dataset.iteration, null);
  await pause(page);
  const second = await openTrainer(browser.context, server.url);
  await message(second, 'autosave-offer');
  await waitForIteration(second, 2);
  assert.equal(await leave(second), 'asked');
  // Paused and saved: nothing to lose.
  await pause(second);
  await saveWith(second, 'Save model', tmp);
  assert.equal(await leave(second), 'closed');
});

test('leaving does not ask when the autosave has the model', { timeout: LONG }, async () => {
  // The first tab: its model is the one autosaved (the autosave line says so from the model's
  // first autosave on).
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const from = (await figures(page)).iteration;
  await until(page, (n) => Number(document.getElementById('autosave-status').dataset.iteration) > n, from);
  assert.equal(await leave(page), 'closed');
  page = null;
});

// The strict page: the trainer and the widget's example page run under their
// Content-Security-Policy (sent by the server and carried in a <meta> tag) with no violation while
// the trainer trains, samples, saves and loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser } from './harness.mjs';
import {
  LONG, figures, waitForIteration, pause, sampleNow, saveWith, loadModelFile,
} from './trainer-helpers.mjs';
import { TRAINER_POLICY, EMBED_POLICY } from '../../web/csp.mjs';

let server;
let browser;
let page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-strict-'));

/**
 * Records what a policy reports: `securitypolicyviolation` events in the page (window.violations)
 * and in its workers (self.violations, read with workerViolations), and console errors.
 */
async function watchPolicy(p) {
  p.consoleErrors = [];
  p.on('console', (m) => {
    if (m.type() === 'error') p.consoleErrors.push(m.text());
  });
  p.on('worker', (w) => w.evaluate(() => {
    self.violations = [];
    self.addEventListener('securitypolicyviolation', (e) => self.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  }).catch(() => {}));
  await p.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

const pageViolations = (p) => p.evaluate(() => window.violations);
const workerViolations = (p) => Promise.all(p.workers().map((w) => w.evaluate(() => self.violations ?? [])));

/** An inline script and a string made code: both must be refused, and reported. */
async function probePage(p) {
  await p.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.append(s);
    setTimeout('window.stringRan = true'); // eslint-disable-line no-implied-eval
  });
  await p.waitForFunction(() => window.violations.length >= 2);
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
  await worker.evaluate(() => new Promise((resolve) => {
    const wait = setInterval(() => self.violations.length && resolve(clearInterval(wait)), 20);
  }));
  assert.equal(await worker.evaluate(() => self.stringRan), undefined);
  assert.ok((await workerViolations(page)).flat().some((v) => /script-src/.test(v)), 'the worker reports it');
  page.consoleErrors.length = 0;
  await page.evaluate(() => { window.violations.length = 0; });
});

test('the widget\'s example page works under its policy with no violation', { timeout: LONG }, async () => {
  const embed = await browser.context.newPage();
  await watchPolicy(embed);
  await embed.goto(`${server.url}/embed/`);
  await embed.waitForFunction(() => {
    const widgets = [...document.querySelectorAll('char-rnn')];
    return widgets.length === 3 && widgets.every((w) => w.state === 'done' || w.state === 'error');
  }, null, { timeout: LONG });
  assert.deepEqual(await embed.evaluate(() => [...document.querySelectorAll('char-rnn')].map((w) => w.state)),
    ['done', 'done', 'error'], 'two models sample, the missing one says so');
  assert.deepEqual(await pageViolations(embed), []);
  assert.deepEqual((await workerViolations(embed)).flat(), []);
  // The one console error is the missing model's 404, which the page shows on purpose.
  assert.deepEqual(embed.consoleErrors.filter((e) => !/status of 404/.test(e)), []);
  await probePage(embed);
  await embed.close();
});

// The readers' journeys, written once against the driver facade (drivers.mjs) and run in each
// engine by chromium.test.mjs, firefox.test.mjs and webkit.test.mjs: one browser per file, the
// journeys sharing its page in order (the trainer page, then the widget's pages, then a page whose
// engine fails to load). The page's test hooks (?test, web/test-hooks.js) give the exact figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createStaticServer } from '../../scripts/serve.mjs';
import { EMBED_POLICY } from '../../web/csp.mjs';
import { webRoot } from '../browser/harness.mjs';
import { launch, missingEngine, screenshotPath, LONG } from './drivers.mjs';

const SENTENCES = fs.readFileSync(path.join(webRoot, 'corpora', 'sentences.txt'), 'utf8').split('\n').filter(Boolean);

// A page made up for the widget's controls="prime" (served as if from the site, under its policy).
const PRIME_PAGE = '<!doctype html><meta charset="utf-8"><script type="module" src="../widget/char-rnn.js"></script>' +
  '<char-rnn id="w" src="../models/shakespeare.safetensors" controls="prime" prime="ROMEO:" length="80" seed="5" ' +
  'mode="instant"></char-rnn>';

/**
 * The built site on a free loopback port, plus what the journeys need of it: /embed/prime.html,
 * and with `brokenEngine` every .wasm answering 404 (a host that lost the engine), and the page's
 * script throwing at once when the page's address has `break=script`.
 */
async function startSite({ brokenEngine = false } = {}) {
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) throw new Error(`${webRoot}/index.html is missing: run scripts/build.sh wasm web`);
  const [site] = createStaticServer(webRoot).listeners('request');
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (brokenEngine && pathname === '/app.js' && req.headers.referer?.includes('break=script')) {
      res.setHeader('Content-Type', 'text/javascript');
      res.end("throw new Error('simulated start-up failure');\n");
    } else if (brokenEngine && pathname.endsWith('.wasm')) {
      res.statusCode = 404;
      res.end(`Not found: ${pathname}\n`);
    } else if (pathname === '/embed/prime.html') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', EMBED_POLICY);
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.end(PRIME_PAGE);
    } else {
      site(req, res);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

// --- in the page --------------------------------------------------------------------------

/**
 * Watches the page: its uncaught errors and policy violations (window.enginesWatch), and the
 * downloads it offers (kept as base64 rather than saved: no engine's download dialog involved).
 * Installed after the page loaded (WebDriver has no script that runs before a page's own).
 */
function watchPage() {
  if (window.enginesWatch) return;
  const watch = window.enginesWatch = { errors: [], violations: [], downloads: [] };
  window.addEventListener('error', (e) => watch.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => watch.errors.push(String(e.reason?.message ?? e.reason)));
  document.addEventListener('securitypolicyviolation', (e) => watch.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  // The blob behind each object URL, read without a fetch (the policy's connect-src has no blob:).
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const url = createObjectURL(blob);
    blobs.set(url, blob);
    return url;
  };
  document.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[download]');
    if (!a || !blobs.has(a.href)) return;
    e.preventDefault();
    const name = a.download;
    blobs.get(a.href).arrayBuffer().then((buffer) => {
      let binary = '';
      const bytes = new Uint8Array(buffer);
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      watch.downloads.push({ name, base64: btoa(binary) });
    });
  }, true);
}

const figures = (d) => d.evaluate(() => Object.fromEntries(Object.entries(document.getElementById('figures').dataset)
  .map(([k, v]) => [k, Number(v)])));

const waitForFigures = (d, predicate, message, timeout) => d.waitFor(`() => {
    const f = Object.fromEntries(Object.entries(document.getElementById('figures').dataset).map(([k, v]) => [k, Number(v)]));
    return (${predicate})(f) && f;
  }`, null, { message, timeout });

const shownMessage = (d, id, timeout) => d.waitFor((i) => {
  const el = document.querySelector(`[data-message="${i}"]`);
  return el && el.getClientRects().length > 0 && el.textContent;
}, id, { message: `the “${id}” message`, timeout });

const clearMessages = (d, id) => d.evaluate((i) => document.querySelectorAll(`[data-message="${i}"]`).forEach((e) => e.remove()), id);

/**
 * Clicks Train; the page may ask first (replacing a trained model), after staging the text the box
 * holds: waits until it asks (and says yes) or `done` (a function's source, in the page) is true.
 */
async function clickTrain(d, done, what) {
  await d.click('#train');
  const asked = await d.waitFor(`() => document.getElementById('confirm').open ? 'asked' : (${done})() && 'done'`, null,
    { message: `${what} or the page asking first` });
  if (asked === 'asked') await d.click('#confirm-ok');
}

/**
 * Replaces the training text as a reader does: a text area showing only the start of a long file
 * is read-only until "Edit as text" is confirmed.
 */
async function editText(d, text) {
  if (await d.evaluate(() => document.getElementById('text').readOnly)) {
    await d.clickButton('Edit as text');
    await d.waitFor(() => document.getElementById('confirm').open, null, { message: 'Edit as text to ask first' });
    await d.click('#confirm-ok');
    await d.waitFor(() => !document.getElementById('text').readOnly, null, { message: 'the text editable' });
  }
  await d.fill('#text', text);
}

const status = (d) => d.evaluate(() => document.getElementById('status').dataset.state);
const waitForStatus = (d, state) => d.waitFor((s) => document.getElementById('status').dataset.state === s, state,
  { message: `status ${state}` });

/** Saves the model through the Save model dialog; returns the download { name, bytes }. */
async function saveModel(d, precision) {
  const count = await d.evaluate(() => window.enginesWatch.downloads.length);
  await d.click('#save-model');
  await d.waitFor(() => document.getElementById('save-dialog').open, null, { message: 'the save dialog' });
  await d.click(`#save-dialog label:has(input[value="${precision}"])`); // the label: a reader clicks its words
  await d.click('#save-ok');
  const file = await d.waitFor((n) => window.enginesWatch.downloads[n], count, { message: `the ${precision} download` });
  return { name: file.name, bytes: Buffer.from(file.base64, 'base64') };
}

// --- the journeys -------------------------------------------------------------------------

/** Registers every journey for `engine`; skips them all, with the reason, where it is not installed. */
export function journeys(engine, { skips = {} } = {}) {
  const missing = missingEngine(engine);
  const opts = (name, extra = {}) => ({ timeout: LONG * 2, ...extra,
    skip: missing ?? (skips[name] ? `${engine}: ${skips[name]}` : false) });
  let d;
  let site;
  let broken;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `charrnn-${engine}-`));
  const started = Date.now();

  before(async () => {
    if (missing) return;
    [site, broken] = await Promise.all([startSite(), startSite({ brokenEngine: true })]);
    d = await launch(engine);
  });
  after(async () => {
    await d?.close();
    await site?.close();
    await broken?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`# ${engine}: ${((Date.now() - started) / 1000).toFixed(0)} s for every journey`);
  });

  test(`${engine}: the page trains and the loss falls`, opts('trains'), async () => {
    await d.goto(`${site.url}/?test`);
    await d.evaluate(watchPage);
    const first = await waitForFigures(d, (f) => f.iteration >= 2 && f.trainLoss > 0, 'a training loss');
    const later = await waitForFigures(d, `(f) => f.trainLoss < ${first.trainLoss - 0.3}`, 'the loss to fall by 0.3 nats');
    assert.ok(later.iteration > first.iteration);
    assert.equal(await status(d), 'training');
    await d.screenshot(screenshotPath(engine, 'trainer'));
  });

  // With the helpers' script already in the HTTP cache (as once the offline copy has installed, or
  // on a second visit): WebKit failed to start a worker whose script came back as a 304.
  test(`${engine}: Threads 2 and then 3 train with as many workers, no failure notice`, opts('threads'), async () => {
    await d.evaluate(() => fetch('/shard_helper_worker.js').then((r) => r.text()));
    for (const n of [2, 3]) {
      await d.fill('#threads', String(n));
      await d.press('#threads', 'Enter');
      await d.waitFor((k) => {
        const t = document.getElementById('threads').dataset;
        return t.threads === k && t.running === k && document.getElementById('threads-note').textContent.includes(`${k} in use.`);
      }, String(n), { message: `${n} threads running` });
      const at = (await figures(d)).iteration;
      const f = await waitForFigures(d, `(f) => f.iteration >= ${at + 3} && f.stepOwnShardMs > 0`, 'steps with helpers');
      assert.ok(f.stepWaitMs >= 0);
      assert.equal(await d.evaluate(() => document.getElementById('threads').dataset.running), String(n), 'the helpers still run');
      assert.equal(await d.evaluate(() => document.querySelector('[data-message="threads"]')?.textContent ?? null), null,
        'no notice that a thread stopped');
    }
  });

  test(`${engine}: Pause, Resume and Reset`, opts('pause'), async () => {
    await d.click('#pause');
    await waitForStatus(d, 'paused');
    const paused = (await figures(d)).iteration;
    await new Promise((resolve) => setTimeout(resolve, 1000)); // nothing should happen: a short look sees steps
    assert.equal((await figures(d)).iteration, paused, 'paused means no steps');
    await d.click('#resume');
    await waitForFigures(d, `(f) => f.iteration >= ${paused + 2}`, 'steps after Resume');
    await d.click('#reset');
    await d.waitFor(() => document.getElementById('confirm').open, null, { message: 'Reset to ask first' });
    await d.click('#confirm-ok');
    await d.waitFor(() => document.getElementById('model-info').textContent === 'No model yet.', null,
      { message: 'no model after Reset' });
    assert.equal(await status(d), 'idle');
    await d.click('#train');
    await waitForFigures(d, (f) => f.iteration >= 2, 'a new model training');
  });

  test(`${engine}: save in float32 and float16, load it back`, opts('save'), async () => {
    const f32 = await saveModel(d, 'f32');
    const f16 = await saveModel(d, 'f16');
    assert.match(f32.name, /^charrnn-.*\.safetensors$/);
    assert.match(f16.name, /-f16\.safetensors$/);
    assert.ok(f16.bytes.length < f32.bytes.length * 0.6, `float16 ${f16.bytes.length} bytes, float32 ${f32.bytes.length}`);
    const file = path.join(tmp, f16.name);
    fs.writeFileSync(file, f16.bytes);
    await clearMessages(d, 'load');
    await d.setFile('#model-file', file);
    const asked = await d.waitFor(() => (document.getElementById('confirm').open ? 'asked'
      : !!document.querySelector('[data-message="load"]') && 'done'), null, { message: 'the load to ask or finish' });
    if (asked === 'asked') await d.click('#confirm-ok');
    assert.match(await shownMessage(d, 'load'), new RegExp(f16.name.replace(/\./g, '\\.')));
    await waitForStatus(d, 'paused');
    const loaded = (await figures(d)).iteration;
    await d.click('#resume');
    await waitForFigures(d, `(f) => f.iteration >= ${loaded + 2}`, 'the loaded model training');
  });

  test(`${engine}: Inside the network: colouring, top 5, ranking`, opts('inspect'), async () => {
    await d.waitFor(() => Number(document.getElementById('inspect-card').dataset.refreshes ?? 0) > 0, null,
      { message: 'the card refreshed' });
    await d.click('#pause');
    await waitForStatus(d, 'paused');
    const colours = () => d.evaluate(() => [...document.querySelectorAll('#inspect-view .ir-text span')]
      .map((s) => getComputedStyle(s).backgroundColor));
    const refreshes = await d.evaluate(() => Number(document.getElementById('inspect-card').dataset.refreshes));
    await d.click('#inspect-refresh');
    await d.waitFor((n) => Number(document.getElementById('inspect-card').dataset.refreshes) > n &&
      document.getElementById('inspect-card').getAttribute('aria-busy') !== 'true', refreshes, { message: 'a refresh' });
    const before = await colours();
    assert.ok(before.length > 1000, `${before.length} characters coloured`);
    assert.ok(new Set(before).size > 10, 'many shades');
    // The top 5 of a character: its element focused, one step right with the keyboard.
    await d.click('#inspect-view .ir-text span[tabindex="0"]');
    await d.press('#inspect-view .ir-text span[tabindex="0"]', 'ArrowRight');
    const top = await d.waitFor(() => {
      const items = [...document.querySelectorAll('#inspect-view [aria-label="Top 5 next characters"] li')];
      return items.length === 5 && items.map((li) => li.textContent);
    }, null, { message: 'the top 5 list' });
    const p = top.map((r) => Number(/([\d.]+)%/.exec(r)?.[1] ?? 0));
    assert.deepEqual([...p].sort((a, b) => b - a), p, `likeliest first: ${top}`);
    // Ranking: Find interpretable neurons lists neurons; picking one recolours the text.
    await d.click('#inspect-find');
    const neuron = await d.waitFor(() => {
      const b = document.querySelector('#inspect-found:not([hidden]) .found-property button');
      return b?.dataset.neuron;
    }, null, { message: 'the ranked neurons' });
    await d.click(`#inspect-found button[data-neuron="${neuron}"]`);
    await d.waitFor((k) => document.getElementById('inspect-card').dataset.neuron === k, neuron,
      { message: `the text coloured by neuron ${neuron}` });
    const after = await colours();
    assert.ok(after.filter((c, i) => c !== before[i]).length > before.length / 4, 'recoloured');
    await d.screenshot(screenshotPath(engine, 'inspect'));
    await d.click('#resume');
  });

  test(`${engine}: bad input gets its message: an empty text, a binary file`, opts('bad-input'), async () => {
    await clearMessages(d, 'train');
    await editText(d, '');
    await clickTrain(d, () => document.querySelector('[data-message="train"]'), 'the “train” message');
    assert.match(await shownMessage(d, 'train'), /The text is empty\. Paste or load some text/);
    assert.equal(await status(d), 'training', 'the model trained so far goes on');
    await editText(d, 'plain words\n'.repeat(40));
    const png = path.join(tmp, 'picture.png');
    fs.writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x80]));
    await d.setFile('#text-file', png);
    const note = await shownMessage(d, 'text-file');
    assert.match(note, /picture\.png.*not valid UTF-8/s);
    assert.match(note, /current text is unchanged/);
    assert.equal(await d.evaluate(() => document.getElementById('text').value), 'plain words\n'.repeat(40));
  });

  test(`${engine}: lines mode shows marked samples`, opts('lines'), async () => {
    await d.clickButton('Sentences to memorise');
    assert.equal(await d.evaluate(() => document.getElementById('lines-mode').checked), true);
    await d.waitFor(() => document.getElementById('text-stats').dataset.chars === '190', null,
      { message: 'the sentences staged' });
    const session = await d.evaluate(() => Number(document.getElementById('model-info').dataset.session));
    await clickTrain(d, `() => Number(document.getElementById('model-info').dataset.session) > ${session}`, 'a new model');
    await d.waitFor((n) => Number(document.getElementById('model-info').dataset.session) > n, session,
      { message: 'a new model' });
    const lines = await d.waitFor(() => Number(document.getElementById('sample-lines').dataset.count) >= 1 &&
      [...document.querySelectorAll('#sample-lines li')].map((li) => ({
        mark: li.querySelector('.line-mark').textContent, text: li.querySelector('.line-text').textContent })),
    null, { message: 'marked lines' });
    assert.equal(lines.length, 5);
    for (const l of lines) {
      assert.ok(['from the text', 'new', 'new (cut)'].includes(l.mark), l.mark);
      assert.equal(l.mark === 'from the text', SENTENCES.includes(l.text), `${l.text} marked ${l.mark}`);
    }
    assert.match(await d.evaluate(() => document.getElementById('lines-share').textContent),
      /^Last \d+ lines: \d+% from the text, \d+% new\.$/);
    await d.screenshot(screenshotPath(engine, 'lines'));
  });

  test(`${engine}: the policy holds: no violation, no page error; an inline script is refused`, opts('csp'), async () => {
    const watch = await d.evaluate(() => window.enginesWatch);
    assert.deepEqual(watch.violations, [], 'no violation while the journeys ran');
    assert.deepEqual([...watch.errors, ...d.pageErrors], [], 'no page error');
    assert.deepEqual(d.consoleErrors.filter((m) => /Content.Security.Policy|Refused/i.test(m)), []);
    await d.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
    });
    await d.waitFor(() => window.enginesWatch.violations.length >= 1, null, { message: 'the inline script reported' });
    assert.equal(await d.evaluate(() => window.inlineRan ?? null), null, 'the inline script did not run');
  });

  test(`${engine}: the widget samples, shows the inspect view, and says when its model is missing`, opts('widget'), async () => {
    await d.goto(`${site.url}/embed/`);
    await d.evaluate(watchPage);
    const shown = await d.waitFor(() => {
      const widgets = [...document.querySelectorAll('char-rnn')];
      if (!widgets.length || !widgets.every((w) => w.state === 'done' || w.state === 'error')) return false;
      return Object.fromEntries(widgets.map((w) => [w.id, { state: w.state, text: w.shadowRoot.querySelector('.text')?.textContent,
        status: w.shadowRoot.querySelector('.status')?.textContent }]));
    }, null, { message: 'every widget done', timeout: LONG });
    assert.equal(shown.shakespeare.state, 'done');
    assert.ok(shown.shakespeare.text.startsWith('ROMEO:') && shown.shakespeare.text.length >= 406, shown.shakespeare.text);
    assert.ok(shown.names.text.startsWith('Ma'), shown.names.text);
    assert.equal(shown.broken.state, 'error');
    assert.match(shown.broken.status, /no-such-model\.safetensors.*404/s);
    assert.equal(shown['line-neuron'].state, 'done');
    const rgb = await d.evaluate(() => [...document.getElementById('line-neuron').shadowRoot.querySelectorAll('.ir-text span')]
      .map((s) => getComputedStyle(s).backgroundColor.match(/\d+/g).map(Number)));
    assert.ok(rgb.some(([r, , b]) => r > b + 80) && rgb.some(([r, , b]) => b > r + 80), 'red and blue characters');
    await d.screenshot(screenshotPath(engine, 'widget'));
    const watch = await d.evaluate(() => window.enginesWatch);
    assert.deepEqual([...watch.errors, ...watch.violations], []);
  });

  test(`${engine}: the widget's controls="prime" samples from the reader's text`, opts('prime'), async () => {
    await d.goto(`${site.url}/embed/prime.html`);
    const sampled = () => d.waitFor(() => {
      const w = document.getElementById('w');
      return w?.state === 'done' && w.shadowRoot.querySelector('.text').textContent;
    }, null, { message: 'a sample' });
    assert.ok((await sampled()).startsWith('ROMEO:'));
    // In the widget's shadow root, so set in the page: the facade's selectors stay in the document.
    await d.evaluate(() => {
      const box = document.getElementById('w').shadowRoot.querySelector('input');
      box.value = 'JULIET€:';
      box.dispatchEvent(new Event('input', { bubbles: true }));
      [...document.getElementById('w').shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Continue it').click();
    });
    const text = await d.waitFor(() => {
      const w = document.getElementById('w');
      const t = w.shadowRoot.querySelector('.text').textContent;
      return w.state === 'done' && t.startsWith('JULIET:') && { text: t, status: w.shadowRoot.querySelector('.status').textContent };
    }, null, { message: 'a sample from the reader\'s text' });
    assert.match(text.status, /“€” is not in this model's vocabulary and was left out/);
  });

  test(`${engine}: an engine that fails to load, or a script that throws, is named on the page`, opts('startup'), async () => {
    await d.goto(`${broken.url}/?test`);
    const note = await shownMessage(d, 'fatal', 60000);
    assert.match(note, /charrnn_training\.wasm|engine/i);
    assert.match(note, /404|could not|failed/i);
    assert.equal(await status(d), 'failed');
    // Still usable: the text can be edited and the settings changed.
    await editText(d, 'still here');
    assert.equal(await d.evaluate(() => document.getElementById('text').value), 'still here');
    await d.screenshot(screenshotPath(engine, 'broken-engine'));
    // The page's own script throws as it starts: the status names the failure (not "Loading…" for ever).
    await d.goto(`${broken.url}/?test&break=script`);
    const said = await d.waitFor(() => document.getElementById('status').dataset.state === 'failed' &&
      document.getElementById('status').textContent, null, { message: 'the start-up failure named', timeout: 60000 });
    assert.match(said, /could not start: .*simulated start-up failure.*Reload the page/);
    await d.goto(`${broken.url}/embed/`);
    const widget = await d.waitFor(() => {
      const w = document.getElementById('shakespeare');
      return w?.state === 'error' && w.shadowRoot.querySelector('.status').textContent;
    }, null, { message: 'the widget\'s message', timeout: 60000 });
    assert.match(widget, /wasm|engine/i);
  });
}

// The npm package's widget as a web developer uses it: `import 'char-rnn-wasm/widget'` bundled
// with esbuild into an app, the two files the package README names copied beside the bundle, and
// the element samples a model in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { launchBrowser, repoRoot, until } from './harness.mjs';
import { LONG } from './trainer-helpers.mjs';

let browser;
let server;
let url;
const app = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-npm-widget-'));

before(async () => {
  const tarball = execFileSync(process.execPath, [path.join(repoRoot, 'scripts/pack.mjs')], { encoding: 'utf8' }).trim();
  const installed = path.join(app, 'node_modules', 'char-rnn-wasm');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', installed, '--strip-components=1']);
  fs.writeFileSync(path.join(app, 'main.js'), "import 'char-rnn-wasm/widget';\n");
  const dist = path.join(app, 'dist');
  await esbuild.build({ entryPoints: [path.join(app, 'main.js')], bundle: true, format: 'esm', outdir: dist,
    absWorkingDir: app, logLevel: 'silent' });
  for (const f of ['sampler-worker.js', 'charrnn_sampling.wasm']) fs.copyFileSync(path.join(installed, 'widget', f), path.join(dist, f));
  fs.copyFileSync(path.join(repoRoot, 'examples/models/names.safetensors'), path.join(dist, 'names.safetensors'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="main.js"></script>' +
    '<char-rnn id="w" src="names.safetensors" length="60" seed="7" mode="instant"></char-rnn>');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  server = http.createServer((req, res) => {
    const file = path.join(dist, path.normalize(new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html')));
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', types[path.extname(file)] ?? 'application/octet-stream');
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}/`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  fs.rmSync(app, { recursive: true, force: true });
});

test('the widget bundled from the package samples a model', { timeout: LONG }, async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await until(page, () => ['done', 'error'].includes(document.getElementById('w')?.state), null);
  const { state, text } = await page.evaluate(() => ({ state: document.getElementById('w').state,
    text: document.getElementById('w').text }));
  assert.equal(state, 'done');
  assert.equal(text.length, 60);
  assert.deepEqual(errors, []);
});

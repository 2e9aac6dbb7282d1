// The npm package (scripts/pack.mjs, package/package.json): `npm pack` makes a tarball that installs
// into an empty folder offline (it has no dependencies), imports under Node through its exports
// map, trains a few steps and samples with both engines, keeps its files private behind the map,
// and whose widget an app bundles with esbuild.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, after, test } from 'node:test';
import * as esbuild from 'esbuild';

import { root } from './support.mjs';

let app; // the empty folder the package is installed into
let tarball;

before(() => {
  if (!fs.existsSync(path.join(root, 'build/web/widget/char-rnn.js'))) {
    throw new Error('The widget is not built: run `scripts/build.sh wasm web`.');
  }
  tarball = execFileSync(process.execPath, [path.join(root, 'scripts/pack.mjs')], { encoding: 'utf8' }).trim();
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-npm-'));
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module' }));
  // Offline: no registry is asked for anything (the package has no dependencies).
  execFileSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: app, encoding: 'utf8' });
});

after(() => {
  if (app) fs.rmSync(app, { recursive: true, force: true });
});

/** Runs an ES module in the app's folder (so `char-rnn-wasm` resolves to the installed package). */
function runInApp(name, source) {
  fs.writeFileSync(path.join(app, name), source);
  const r = spawnSync(process.execPath, [name], { cwd: app, encoding: 'utf8' });
  assert.equal(r.status, 0, `${name} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

test('the tarball holds the API, both engines, the types and the widget, and nothing else', () => {
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(files, ['package/README.md', 'package/charrnn.d.ts', 'package/charrnn.js',
    'package/charrnn_sampling.mjs', 'package/charrnn_sampling.wasm', 'package/charrnn_training.mjs',
    'package/charrnn_training.wasm', 'package/package.json', 'package/shard_helper_worker.js', 'package/widget/char-rnn.js',
    'package/widget/charrnn_sampling.wasm', 'package/widget/sampler-worker.js']);
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/char-rnn-wasm/package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined, 'no dependencies: it installs offline');
  assert.equal(manifest.exports['.'].types, './charrnn.d.ts');
});

test('installed, it imports under Node, trains a few steps, saves, and samples with the sampling engine', () => {
  const result = runInApp('train.mjs', `
    import { load, CharRnnError, isCrash } from 'char-rnn-wasm';
    const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);
    const charrnn = await load();
    const trainer = charrnn.createTrainer(text, { cell: 'lstm', hiddenSize: 32, embedSize: 8, layers: 1 },
      { batchSize: 4, seqLen: 16, seed: 1 });
    const first = trainer.train(1);
    const later = trainer.train(30);
    const bytes = trainer.save();
    const sampling = await load({ module: 'sampling' });
    const model = sampling.loadModel(bytes);
    const sample = model.sample({ prime: 'the ', length: 40, seed: 3 });
    let refused = null;
    try { charrnn.createTrainer('', {}, {}); } catch (e) { refused = e instanceof CharRnnError && e.kind === 'input' && !isCrash(e); }
    console.log(JSON.stringify({ first: first.loss, later: later.loss, iteration: later.iteration, sample,
      bytes: bytes.length, refused, vocab: model.vocab.length }));
  `);
  assert.equal(result.iteration, 31);
  assert.ok(result.later < result.first, `the loss falls: ${result.first} to ${result.later}`);
  assert.equal(result.sample.length, 40);
  assert.ok(result.bytes > 1000);
  assert.equal(result.refused, true, 'errors are the package’s CharRnnError, with their kind');
});

test('threads: the helper worker starts from the installed package and trains its shard', () => {
  const result = runInApp('threads.mjs', `
    import { load } from 'char-rnn-wasm';
    const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);
    const charrnn = await load();
    const trainer = charrnn.createTrainer(text, { cell: 'gru', hiddenSize: 16, embedSize: 8, layers: 1 },
      { batchSize: 4, seqLen: 16, seed: 1 }, { threads: 2 });
    let helpers = 0;
    let last = null;
    // The helper starts in the background while this thread trains: train until it runs.
    const until = Date.now() + 60000;
    while (helpers === 0 && Date.now() < until) {
      last = await trainer.trainInParallel(1);
      helpers = trainer.helperThreads;
      if (last.threadError) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    last = await trainer.trainInParallel(2);
    console.log(JSON.stringify({ helpers, threadError: last.threadError, loss: last.loss, iteration: last.iteration }));
    trainer.dispose();
    process.exit(0);
  `);
  assert.equal(result.threadError, null);
  assert.equal(result.helpers, 1, 'one helper worker runs the second shard');
  assert.ok(Number.isFinite(result.loss));
});

test('the exports map keeps the Emscripten glue private', () => {
  const result = runInApp('deep.mjs', `
    let code = null;
    try { await import('char-rnn-wasm/charrnn_training.mjs'); } catch (e) { code = e.code; }
    const wasm = import.meta.resolve('char-rnn-wasm/charrnn_training.wasm');
    console.log(JSON.stringify({ code, wasm }));
  `);
  assert.equal(result.code, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  assert.match(result.wasm, /node_modules\/char-rnn-wasm\/charrnn_training\.wasm$/);
});

test('an app bundles the widget (and the API) from the installed package with esbuild', async () => {
  fs.writeFileSync(path.join(app, 'main.js'), [
    "import 'char-rnn-wasm/widget';",
    "import { load } from 'char-rnn-wasm';",
    'window.loadEngine = load;',
  ].join('\n'));
  const built = await esbuild.build({
    entryPoints: [path.join(app, 'main.js')], bundle: true, format: 'esm', platform: 'browser',
    outdir: path.join(app, 'dist'), absWorkingDir: app, write: true, logLevel: 'silent', metafile: true,
    // No options beyond the defaults: the package's own fields keep Node's modules out.
  });
  assert.deepEqual(built.errors, []);
  // A warning is what a user sees in every build of theirs (an exports map esbuild cannot read
  // printed three): none.
  assert.deepEqual(built.warnings.map((w) => w.text), [], 'no bundler warning');
  const inputs = Object.keys(built.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('node_modules/char-rnn-wasm/widget/char-rnn.js')), inputs.join(', '));
  assert.ok(inputs.some((f) => f.endsWith('node_modules/char-rnn-wasm/charrnn.js')), inputs.join(', '));
  const bundle = fs.readFileSync(path.join(app, 'dist/main.js'), 'utf8');
  assert.match(bundle, /customElements\.define\(\s*"char-rnn"/);
  // What the README says to copy beside the bundle is in the package.
  for (const f of ['widget/sampler-worker.js', 'widget/charrnn_sampling.wasm']) {
    assert.ok(fs.existsSync(path.join(app, 'node_modules/char-rnn-wasm', f)), f);
  }
});

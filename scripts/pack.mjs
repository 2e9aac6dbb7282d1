#!/usr/bin/env node
// The npm package (package/package.json: char-rnn-wasm): assembles build/npm/char-rnn-wasm from the
// WASM build (both engines and their Emscripten glue), the JavaScript API (wasm_bindings/charrnn.js
// with the modules it imports, and the threads' helper worker it starts, each bundled into one file
// with their dependencies, so the package has none) with its .d.ts, and the built <char-rnn> widget; then `npm pack`s it. Prints the
// tarball's path.
//   node scripts/pack.mjs          (after scripts/build.sh wasm web; also: npm run pack)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = path.join(root, 'build', 'wasm');
const widgetDir = path.join(root, 'build', 'web', 'widget');
const outRoot = path.join(root, 'build', 'npm');
const out = path.join(outRoot, 'char-rnn-wasm');

function fail(message) {
  console.error(`scripts/pack.mjs: ${message}`);
  process.exit(1);
}

const engines = ['charrnn_training.mjs', 'charrnn_training.wasm', 'charrnn_sampling.mjs', 'charrnn_sampling.wasm'];
for (const f of ['charrnn.js', 'charrnn.d.ts', 'shard_helper_worker.js', ...engines]) {
  if (!fs.existsSync(path.join(wasmDir, f))) fail(`build/wasm/${f} is missing: run scripts/build.sh wasm first.`);
}
if (!fs.existsSync(path.join(widgetDir, 'char-rnn.js'))) fail('build/web/widget is missing: run scripts/build.sh web first.');

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const f of engines) fs.copyFileSync(path.join(wasmDir, f), path.join(out, f));
fs.copyFileSync(path.join(wasmDir, 'charrnn.d.ts'), path.join(out, 'charrnn.d.ts'));
// The API with wasm-feature-detect and Comlink inside, and the helper worker it starts from beside
// itself; the engine modules stay separate files (each is loaded only when asked for), as do
// Node's own modules.
await esbuild.build({
  entryPoints: [path.join(wasmDir, 'charrnn.js'), path.join(wasmDir, 'shard_helper_worker.js')],
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'], // neutral has none by default; comlink has no exports map
  target: ['es2022'],
  logLevel: 'warning',
  external: ['node:*', './charrnn_training.mjs', './charrnn_sampling.mjs'],
});
fs.cpSync(widgetDir, path.join(out, 'widget'), { recursive: true, filter: (f) => !f.endsWith('.map') });
for (const f of ['package.json', 'README.md']) fs.copyFileSync(path.join(root, 'package', f), path.join(out, f));

const tarball = execFileSync('npm', ['pack', '--pack-destination', outRoot, '--loglevel=error'], { cwd: out, encoding: 'utf8' })
  .trim().split('\n').at(-1);
console.log(path.join(outRoot, tarball));

// Builds the <char-rnn> widget into <outDir>/widget/: char-rnn.js (the element),
// sampler-worker.js (its worker) and charrnn_sampling.wasm. The element finds the other two
// beside itself, so that folder can be copied to any static host as it is.
//   node web/widget/build.mjs [outDir]     (default build/web; web/build.mjs calls buildWidget)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const wasmDir = path.join(repoRoot, 'build', 'wasm');

// charrnn.js can load either engine module; the widget only ever asks for 'sampling', so the
// training module's glue stays out of the bundle (the import is left unresolved and never runs).
const samplingOnly = {
  name: 'sampling-only',
  setup(build) {
    build.onResolve({ filter: /charrnn_training\.mjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** Writes <outDir>/widget/{char-rnn.js, sampler-worker.js, charrnn_sampling.wasm}; returns their paths. */
export async function buildWidget(outDir) {
  const wasm = path.join(wasmDir, 'charrnn_sampling.wasm');
  if (!fs.existsSync(wasm) || !fs.existsSync(path.join(wasmDir, 'charrnn.js'))) {
    throw new Error(`${wasmDir} has no sampling engine: run scripts/build.sh wasm first`);
  }
  const dir = path.join(outDir, 'widget');
  fs.mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: { 'char-rnn': path.join(here, 'char-rnn.js'), 'sampler-worker': path.join(here, 'sampler-worker.js') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox114', 'safari16.4'], // module workers, WASM SIMD + exceptions
    minify: true,
    // Only reached under Node (charrnn.js and Emscripten's glue check first), never in a browser.
    external: ['node:*', 'fs', 'path'],
    plugins: [samplingOnly],
    loader: { '.css': 'text' }, // the inspect view's shared styles go into the shadow root as text
    logLevel: 'warning',
  });
  fs.copyFileSync(wasm, path.join(dir, 'charrnn_sampling.wasm'));
  return ['char-rnn.js', 'sampler-worker.js', 'charrnn_sampling.wasm'].map((f) => path.join(dir, f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'build', 'web'));
  for (const file of await buildWidget(outDir)) console.log(path.relative(process.cwd(), file));
}

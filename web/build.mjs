// Builds the static site in build/web: the trainer page (web/page/index.html; app.js + app.css
// bundled by esbuild from web/page/main.js and web/page/style.css with their npm dependencies, and
// early-start.js, its first script), its module worker (worker.js, from web/worker/api.js, with
// the engine's JS API), the engine's .wasm, the corpora and pretrained models from examples/ (and the C-code corpus from
// build/corpora, with its licence), the
// embeddable widget (web/widget/build.mjs, when present) with its example page, the helper workers
// of multi-thread training (shard_helper_worker.js), and a service worker (web/sw.js) that keeps a
// copy of all of it for offline use. Needs build/wasm (scripts/build.sh wasm) first.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { TRAINER_POLICY, EMBED_POLICY, metaTag } from './csp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const wasmDir = path.join(root, 'build', 'wasm');
const outDir = path.join(root, 'build', 'web');

function fail(message) {
  console.error(`web/build.mjs: ${message}`);
  process.exit(1);
}

for (const file of ['charrnn.js', 'charrnn_training.mjs', 'charrnn_training.wasm', 'shard_helper_worker.js']) {
  if (!fs.existsSync(path.join(wasmDir, file))) fail(`build/wasm/${file} is missing: run scripts/build.sh wasm first.`);
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

const common = {
  bundle: true,
  format: 'esm',
  target: ['chrome100', 'firefox114', 'safari16.4'],
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'linked',
  // charrnn.js and the Emscripten module reach Node's modules only when they run under Node.
  external: ['node:*', 'fs', 'path', 'crypto', 'url', 'module', 'worker_threads'],
  // The sampling-only engine is the widget's; the trainer never imports it.
  plugins: [{
    name: 'no-sampling-engine',
    setup(build) {
      build.onResolve({ filter: /charrnn_sampling\.mjs$/ }, (args) => ({ path: args.path, external: true }));
    },
  }],
};

await esbuild.build({
  ...common,
  entryPoints: { app: path.join(web, 'page', 'main.js'), worker: path.join(web, 'worker', 'api.js'),
    app_css: path.join(web, 'page', 'style.css'),
    // The training worker's helpers (threads): charrnn.js starts ./shard_helper_worker.js beside it.
    shard_helper_worker: path.join(wasmDir, 'shard_helper_worker.js') },
  entryNames: '[name]',
  outdir: outDir,
  loader: { '.css': 'css' },
});
// The page's first script runs while the page is parsed: a classic script, not a module.
await esbuild.build({ ...common, plugins: [], entryPoints: { 'early-start': path.join(web, 'page', 'early-start.js') },
  format: 'iife', outdir: outDir });
// esbuild names the CSS bundle after its entry; the page links app.css.
fs.renameSync(path.join(outDir, 'app_css.css'), path.join(outDir, 'app.css'));
fs.renameSync(path.join(outDir, 'app_css.css.map'), path.join(outDir, 'app.css.map'));
fs.rmSync(path.join(outDir, 'app_css.js'), { force: true });
for (const f of fs.readdirSync(outDir)) {
  if (f.startsWith('app_css')) fs.rmSync(path.join(outDir, f), { force: true });
}
const cssMapLink = /\/\*# sourceMappingURL=app_css\.css\.map \*\//;
const css = fs.readFileSync(path.join(outDir, 'app.css'), 'utf8');
fs.writeFileSync(path.join(outDir, 'app.css'), css.replace(cssMapLink, '/*# sourceMappingURL=app.css.map */'));

// The pages carry the site's Content-Security-Policy in a <meta> tag too (for static hosts that
// send no headers): written where each page has the marker comment, before any script or style.
const CSP_MARKER = /^[ \t]*<!-- Content-Security-Policy: .*? -->$/m;
function writePage(from, to, policy) {
  const html = fs.readFileSync(from, 'utf8');
  if (!CSP_MARKER.test(html)) fail(`${path.relative(root, from)} has no Content-Security-Policy marker comment.`);
  fs.writeFileSync(to, html.replace(CSP_MARKER, (line) => line.replace(/<!--.*-->/, metaTag(policy))));
}
writePage(path.join(web, 'page', 'index.html'), path.join(outDir, 'index.html'), TRAINER_POLICY);
fs.copyFileSync(path.join(wasmDir, 'charrnn_training.wasm'), path.join(outDir, 'charrnn_training.wasm'));

function copyDir(from, to, filter = () => true) {
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) copyDir(src, path.join(to, entry.name), filter);
    else if (filter(entry.name)) fs.copyFileSync(src, path.join(to, entry.name));
  }
}
copyDir(path.join(root, 'examples', 'corpora'), path.join(outDir, 'corpora'), (n) => n.endsWith('.txt'));
copyDir(path.join(root, 'examples', 'models'), path.join(outDir, 'models'), (n) => n.endsWith('.safetensors'));
// The C-code corpus is built, not committed (scripts/c-corpus.mjs): its text and musl's licence.
const corpora = path.join(root, 'build', 'corpora');
for (const f of ['c-code.txt', 'c-code.COPYRIGHT']) {
  if (!fs.existsSync(path.join(corpora, f))) fail(`build/corpora/${f} is missing: run scripts/build.sh corpus first.`);
  fs.copyFileSync(path.join(corpora, f), path.join(outDir, 'corpora', f));
}

// The widget is another engineer's: built by its own script into the same site.
const widgetBuild = path.join(web, 'widget', 'build.mjs');
if (fs.existsSync(widgetBuild)) {
  const { buildWidget } = await import(pathToFileURL(widgetBuild).href);
  await buildWidget(outDir);
}
copyDir(path.join(root, 'examples', 'embed'), path.join(outDir, 'embed'));
writePage(path.join(root, 'examples', 'embed', 'index.html'), path.join(outDir, 'embed', 'index.html'), EMBED_POLICY);

// The service worker caches every file of the site; its id changes with any file, so a new build
// replaces the old cache.
function listFiles(dir, base = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
    ? listFiles(path.join(dir, e.name), `${base}${e.name}/`)
    : [`${base}${e.name}`]));
}
const files = listFiles(outDir).filter((f) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt')).sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(fs.readFileSync(path.join(outDir, f)));
const buildId = hash.digest('hex').slice(0, 12);
await esbuild.build({
  entryPoints: [path.join(web, 'sw.js')],
  outfile: path.join(outDir, 'sw.js'),
  bundle: true,
  minify: true,
  logLevel: 'warning',
  define: { __BUILD_ID__: JSON.stringify(buildId), __PRECACHE__: JSON.stringify(['./', ...files]) },
});

console.log(`web/build.mjs: build/web written (${files.length} files, build ${buildId})`);

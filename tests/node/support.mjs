// Shared by the Node tests: where the repository and its builds are, loading the WASM engine,
// running the native CLI (charrnn), temporary files. Not a test file itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const wasmDir = path.join(root, 'build/wasm');

// The charrnn binary: $CHARRNN_CLI, else build/native/cli/charrnn, else the first `charrnn`
// executable found under build/native.
export function findCli() {
  if (process.env.CHARRNN_CLI) {
    if (!fs.existsSync(process.env.CHARRNN_CLI)) throw new Error(`CHARRNN_CLI=${process.env.CHARRNN_CLI} does not exist.`);
    return path.resolve(process.env.CHARRNN_CLI);
  }
  const preferred = path.join(root, 'build/native/cli/charrnn');
  if (fs.existsSync(preferred)) return preferred;
  const stack = [path.join(root, 'build/native')];
  while (stack.length) {
    const dir = stack.pop();
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'CMakeFiles') stack.push(p);
      else if (e.isFile() && e.name === 'charrnn') return p;
    }
  }
  throw new Error('The charrnn CLI is not built: run `scripts/build.sh native` (or set CHARRNN_CLI to its path).');
}

export async function loadEngine(module = 'training') {
  if (!fs.existsSync(path.join(wasmDir, 'charrnn.js')))
    throw new Error('The WASM engine is not built: run `scripts/build.sh wasm`.');
  const api = await import(path.join(wasmDir, 'charrnn.js'));
  return { api, engine: await api.load({ module }) };
}

// Runs `charrnn ARGS...`; throws with its stderr unless it exits 0. Returns stdout as a Buffer.
export function runCli(args) {
  const r = spawnSync(findCli(), args, { maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`charrnn ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

// `charrnn train ... --log-json`: the step records, one object per line.
export function trainCli(args) {
  return runCli(['train', '--log-json', '--quiet', ...args]).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `charrnn-${prefix}-`));
}

export function writeText(dir, name, text) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

// Settings in the CLI's words and the JS API's, from one description: each setting's flag is its
// `cli` in the engine's settings table (`charrnn schema`); per-layer hiddenSizes go to --hidden.
// Every other setting with a flag is given its default from the table too: a setting the CLI is not
// given comes from the recipe for the text (cli/recipe_settings.h), the JS API's from the table, and
// the two engines must train the same run.
let schema = null;
export function cliArgs(model, train) {
  schema ??= JSON.parse(runCli(['schema']).toString('utf8'));
  const args = [];
  for (const [group, settings] of Object.entries({ model, train })) {
    for (const [js, value] of Object.entries(settings)) {
      if (value === undefined || js === 'hiddenSizes') continue;
      const s = schema.find((entry) => entry.group === group && entry.js === js);
      if (!s?.cli) throw new Error(`cliArgs: the ${group} setting '${js}' has no command-line flag.`);
      if (s.type === 'bool') {
        if (value) args.push(s.cli);
      } else {
        const perLayer = js === 'hiddenSize' && settings.hiddenSizes?.length;
        args.push(s.cli, String(perLayer ? settings.hiddenSizes.join(',') : value));
      }
    }
    for (const s of schema) {
      if (s.group !== group || !s.cli || s.type === 'bool' || settings[s.js] !== undefined) continue;
      args.push(s.cli, String(s.default));
    }
  }
  return args;
}

export function relativeDifference(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

export const sentences = fs.readFileSync(path.join(root, 'examples/corpora/sentences.txt'), 'utf8');

// What the benchmark scripts share: where things are, medians, command-line options with a help
// text, printing a result line (and keeping it in bench/results/), and the way a script ends.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const BENCH = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(BENCH, '..');
export const RESULTS = path.join(BENCH, 'results');
// The corpus every speed benchmark trains on (outside the repository, beside it).
export const SHAKESPEARE = path.resolve(REPO, '..', 'shared', 'data', 'tinyshakespeare.txt');

// The q-quantile of xs (0 <= q <= 1), interpolating between the two nearest order statistics:
// quantile(xs, 0.5) of an even count is the mean of the middle two.
export function quantile(xs, q) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (at - lo) * (s[lo + 1] - s[lo]) : s[lo];
}
export const median = (xs) => quantile(xs, 0.5);

// A script's help: its leading comment block, without the comment marks.
function headerOf(script) {
  const lines = fs.readFileSync(fileURLToPath(script), 'utf8').split('\n');
  const body = lines.slice(lines[0].startsWith('#!') ? 1 : 0);
  const end = body.findIndex((l) => !l.startsWith('//'));
  return body.slice(0, end < 0 ? body.length : end).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

// Options with node:util's parseArgs. `defaults` names every option that takes a value: one whose
// default is a number is read as a number, any other (a string, or undefined for none) as text;
// `flags` are the options without a value. --help (-h) prints the script's leading comment and
// exits 0; anything else amiss prints what and the usage line, and exits 2.
//   const { o, positionals } = parseOptions(import.meta.url, 'usage: node bench/x.mjs [--runs 5]', { defaults: { runs: 5 } });
export function parseOptions(script, usage, { defaults = {}, flags = [], positionals: allowPositionals = false,
  argv = process.argv.slice(2) } = {}) {
  const fail = (message) => {
    process.stderr.write(`${path.basename(fileURLToPath(script))}: ${message}\n${usage}\n`);
    process.exit(2);
  };
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const k of Object.keys(defaults)) options[k] = { type: 'string' };
  for (const k of flags) options[k] = { type: 'boolean' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    fail(e.message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${headerOf(script)}\n${usage}\n`);
    process.exit(0);
  }
  const o = { ...defaults };
  for (const [k, v] of Object.entries(parsed.values)) {
    if (k === 'help') continue;
    if (typeof defaults[k] !== 'number') o[k] = v;
    else if (Number.isFinite(Number(v)) && v.trim() !== '') o[k] = Number(v);
    else fail(`--${k} needs a number (got "${v}")`);
  }
  for (const k of flags) o[k] = parsed.values[k] ?? false;
  return { o, positionals: parsed.positionals, fail, given: (k) => parsed.values[k] !== undefined };
}

// "1,3,5" as [1, 3, 5].
export const numberList = (text) => String(text).split(',').map(Number);

// Prints one result as a JSON line on stdout and, given `save` (a file name in bench/results/),
// appends it there too, with the day it was measured unless it says so itself.
export function printResult(line, { save } = {}) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (save) appendResult(save, line);
}

export function appendResult(file, line) {
  const dated = line.date ? line : { ...line, date: new Date().toISOString().slice(0, 10) };
  fs.appendFileSync(path.resolve(RESULTS, file), `${JSON.stringify(dated)}\n`);
}

// Runs an async main; a failure prints its stack and exits 1.
export function runMain(main) {
  Promise.resolve().then(main).catch((e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  });
}

// The engine (build/wasm/charrnn.js, or that of another build folder) loaded under Node.
export async function loadEngine(buildDir = path.join(REPO, 'build', 'wasm')) {
  const { load } = await import(pathToFileURL(path.join(path.resolve(buildDir), 'charrnn.js')).href);
  return load();
}

// The engine's settings a script takes under the CLI's names (--hidden 256 is hiddenSize, --lr
// 0.01 learningRate): every model and training setting with a flag that takes a value, as the
// engine's settings table lists them (python/settings.json: the copy of `charrnn schema` that
// ctest keeps current). None has a default of its own: the script's come from the page's settings.
const ENGINE_OPTIONS = JSON.parse(fs.readFileSync(path.join(REPO, 'python', 'settings.json'), 'utf8'))
  .filter((s) => (s.group === 'model' || s.group === 'train') && s.cli && s.type !== 'bool')
  .map((s) => ({ ...s, option: s.cli.replace(/^--/, '') }));
export const ENGINE_OPTION_DEFAULTS = Object.fromEntries(ENGINE_OPTIONS.map((s) => [s.option, undefined]));

// The model and training settings: `model` and `train` with what the options gave put over them.
export function engineSettings(o, model, train) {
  const out = { model: { ...model }, train: { ...train } };
  for (const s of ENGINE_OPTIONS) {
    if (o[s.option] !== undefined) out[s.group][s.js] = s.type === 'choice' ? o[s.option] : Number(o[s.option]);
  }
  return out;
}

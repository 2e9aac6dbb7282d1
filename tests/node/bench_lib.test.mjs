// bench/lib.mjs, which every benchmark script uses: medians and quantiles, and options that say
// what is wrong (exit 2) or print the script's help (exit 0).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { engineSettings, median, quantile } from '../../bench/lib.mjs';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');
const run = (script, args) => spawnSync(process.execPath, [path.join(BENCH, script), ...args], { encoding: 'utf8' });

test('median and quantile', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([10, 0, 20, 30], 0), 0);
  assert.equal(quantile([10, 0, 20, 30], 1), 30);
  assert.equal(quantile([0, 10], 0.25), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('engine settings under the CLI names go over the defaults', () => {
  const { model, train } = engineSettings({ hidden: '64', cell: 'lstm', lr: '0.01', optimizer: 'adam' },
    { cell: 'gru', hiddenSize: 192, layers: 2 }, { learningRate: 0.003, batchSize: 32 });
  assert.deepEqual(model, { cell: 'lstm', hiddenSize: 64, layers: 2 });
  assert.deepEqual(train, { learningRate: 0.01, batchSize: 32, optimizer: 'adam' });
});

test('every model and training setting with a CLI flag is an option, under that flag', () => {
  const { model, train } = engineSettings({ 'seq-len': '64', l2: '0.001', 'val-fraction': '0', embed: '8' }, {}, {});
  assert.deepEqual(model, { embedSize: 8 });
  assert.deepEqual(train, { seqLen: 64, l2: 0.001, valFraction: 0 });
});

test('a script refuses a bad option with its usage, and --help prints its header', () => {
  const bad = run('heap_diff.mjs', ['--top', 'many', 'a', 'b']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--top needs a number \(got "many"\)/);
  assert.match(bad.stderr, /usage: node bench\/heap_diff\.mjs/);
  const unknown = run('heap_diff.mjs', ['--nonsense']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown option '--nonsense'/);
  const help = run('heap_diff.mjs', ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Compares two heap snapshots/);
});

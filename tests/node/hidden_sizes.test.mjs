// The Settings card's Hidden size (web/settings/hidden-sizes.js): one number or one per layer, read into the
// engine's { hiddenSize, hiddenSizes }, a count that disagrees with Layers refused with a message
// that says what to write, and how a model's sizes read in the field and in file names.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseHiddenSizes, formatHiddenSizes, layerSizes, shapeLabel, shapeText } from '../../web/settings/hidden-sizes.js';
import { modelFileName } from '../../web/page/model-files.js';

test('one number is every layer\'s size', () => {
  assert.deepEqual(parseHiddenSizes('192', 2), { hiddenSize: 192, hiddenSizes: [] });
  assert.deepEqual(parseHiddenSizes(' 64 ', 1), { hiddenSize: 64, hiddenSizes: [] });
});

test('one number per layer, with or without spaces, bottom first', () => {
  assert.deepEqual(parseHiddenSizes('256, 128', 2), { hiddenSize: 256, hiddenSizes: [256, 128] });
  assert.deepEqual(parseHiddenSizes('48,24,12', 3), { hiddenSize: 48, hiddenSizes: [48, 24, 12] });
});

test('equal sizes per layer are a uniform model', () => {
  assert.deepEqual(parseHiddenSizes('128, 128', 2), { hiddenSize: 128, hiddenSizes: [] });
});

test('a count that disagrees with Layers says what to give', () => {
  assert.throws(() => parseHiddenSizes('256, 128', 3),
    { message: 'The hidden size lists 2 sizes for 3 layers: give one size for every layer, or exactly 3 separated by commas.' });
  assert.throws(() => parseHiddenSizes('256, 128, 64', 1), /3 sizes for 1 layer: .*or exactly 1 separated/);
});

test('anything but whole numbers from 1 separated by commas is refused with an example', () => {
  for (const bad of ['', 'abc', '0', '128, 0', '256,', ',128', '256,,128', '-5', '2.5', '1e3', '256;128', '256 128', '1234567890']) {
    assert.throws(() => parseHiddenSizes(bad, 2), /one whole number for every layer \(e\.g\. 128\) or one per layer/, bad);
  }
});

test('the field shows a model\'s sizes as they were typed', () => {
  assert.equal(formatHiddenSizes({ layers: 2, hiddenSize: 192, hiddenSizes: [] }), '192');
  assert.equal(formatHiddenSizes({ layers: 2, hiddenSize: 192 }), '192');
  assert.equal(formatHiddenSizes({ layers: 2, hiddenSize: 256, hiddenSizes: [256, 128] }), '256, 128');
  const typed = '48, 24';
  assert.equal(formatHiddenSizes({ layers: 2, ...parseHiddenSizes(typed, 2) }), typed);
});

test('each layer\'s size', () => {
  assert.deepEqual(layerSizes({ layers: 3, hiddenSize: 64, hiddenSizes: [] }), [64, 64, 64]);
  assert.deepEqual(layerSizes({ layers: 2, hiddenSize: 256, hiddenSizes: [256, 128] }), [256, 128]);
});

test('names: 2x160 for a uniform model, 256-128 per layer', () => {
  assert.equal(shapeLabel({ layers: 2, hiddenSize: 160, hiddenSizes: [] }), '2x160');
  assert.equal(shapeLabel({ layers: 2, hiddenSize: 256, hiddenSizes: [256, 128] }), '256-128');
  assert.equal(shapeText({ layers: 2, hiddenSize: 160, hiddenSizes: [] }), '2 × 160');
  assert.equal(shapeText({ layers: 2, hiddenSize: 256, hiddenSizes: [256, 128] }), '2 layers of 256, 128');
  assert.equal(modelFileName({ modelConfig: { cell: 'lstm', layers: 2, hiddenSize: 160, hiddenSizes: [] }, iteration: 12 },
    false), 'charrnn-lstm-2x160-iter12.safetensors');
  assert.equal(modelFileName({ modelConfig: { cell: 'lstm', layers: 2, hiddenSize: 256, hiddenSizes: [256, 128] },
    iteration: 12 }, true), 'charrnn-lstm-256-128-iter12-checkpoint.safetensors');
});

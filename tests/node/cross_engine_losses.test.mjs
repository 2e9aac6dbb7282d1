// Native (the charrnn CLI) and WASM compute the same training run: same text, seed and settings
// give the same per-step losses. Not bit-identical (float sums run in a different order), so
// within 1e-3 relative. Every cell type, with dropout so the random streams must match too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';

import { cliArgs, loadEngine, relativeDifference, tempDir, trainCli, writeText } from './support.mjs';

const dir = tempDir('losses');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const textBytes = fs.readFileSync(new URL('../../examples/corpora/tinyshakespeare.txt', import.meta.url)).subarray(0, 30000);
const textFile = writeText(dir, 'text.txt', textBytes);
const STEPS = 6;

// The last two: per-layer hidden sizes (--hidden 48,24 and hiddenSizes: [48, 24]).
for (const [cell, hiddenSizes] of [['lstm', []], ['gru', []], ['rnn', []], ['lstm', [48, 24]], ['gru', [24, 48]]]) {
  test(`${cell}${hiddenSizes.length ? ` ${hiddenSizes.join('-')}` : ''}: native and WASM step losses agree`, async () => {
    const model = { cell, layers: 2, hiddenSize: 48, hiddenSizes, embedSize: 16, dropout: 0.1 };
    const train = { batchSize: 8, seqLen: 24, optimizer: 'adam', learningRate: 3e-3, seed: 11 };
    const native = trainCli(['--data', textFile, ...cliArgs(model, train), '--max-steps', String(STEPS),
      '--checkpoint-dir', `${dir}/ck-${cell}-${hiddenSizes.join('-')}`]);

    const { engine } = await loadEngine();
    const trainer = engine.createTrainer(textBytes, model, train);
    const wasm = [];
    for (let i = 0; i < STEPS; i++) wasm.push(trainer.train(1).loss);
    const wasmVal = trainer.evaluate();
    trainer.dispose();

    assert.equal(native.length, STEPS);
    for (let i = 0; i < STEPS; i++) {
      assert.equal(native[i].step, i + 1);
      assert.ok(relativeDifference(native[i].loss, wasm[i]) < 1e-3,
        `step ${i + 1}: native loss ${native[i].loss}, WASM ${wasm[i]}`);
    }
    // The losses really move (a run that did nothing would also agree).
    assert.ok(native[STEPS - 1].loss < native[0].loss - 0.05, `loss should fall: ${native.map((r) => r.loss)}`);
    // The final line carries the evaluation on the whole validation split.
    assert.ok(relativeDifference(native[STEPS - 1].val_loss, wasmVal) < 1e-3,
      `validation loss: native ${native[STEPS - 1].val_loss}, WASM ${wasmVal}`);
  });
}

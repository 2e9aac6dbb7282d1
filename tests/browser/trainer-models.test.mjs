// Models in the trainer page: save, reload the page, load the file, and the validation loss is
// the same; a checkpoint resumes at its iteration; a corrupt file or a model of another vocabulary
// is refused and the current model stays; the autosave is offered after a reload and restoring it
// gives back the same loss; a crashed worker is replaced and the autosave restored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, screenshotDir, until, shows, settled } from './harness.mjs';
import {
  LONG, figures, waitForFigures, waitForIteration, waitForStatus, message, pause, sampleNow,
  saveWith as saveModel, loadModelFile, confirmReplaceIfAsked,
  trainerPageFixture,
} from './trainer-helpers.mjs';

const fixture = trainerPageFixture();
let page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-models-'));
before(async () => ({ page } = await fixture.ready));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const saveWith = (buttonName) => saveModel(page, buttonName, tmp);
const loadFile = (file) => loadModelFile(page, file);

test('save, reload the page, load the file: the validation loss is the same', { timeout: LONG }, async () => {
  await waitForIteration(page, 3);
  // Wait for the first autosave too, so the reload below has one to offer.
  await until(page, () => document.getElementById('autosave-status').dataset.iteration, null);
  const saved = await saveWith('Save model'); // while it trains: the file and the loss are of the same weights
  assert.match(saved.name, /^charrnn-gru-2x192-iter\d+\.safetensors$/);
  assert.ok(Number.isFinite(saved.valLoss));

  await page.reload();
  await waitForIteration(page, 1);
  // The first page autosaved: the reload offers it. Discarding it turns autosave back on.
  const offer = await message(page, 'autosave-offer');
  await offer.getByRole('button', { name: 'Discard it' }).click();

  const note = await loadFile(saved.file);
  assert.match(await note.getAttribute('class'), /notice-success/, await note.textContent());
  assert.equal(Number(await note.getAttribute('data-val-loss')), saved.valLoss);
  await waitForStatus(page, 'paused');
  // A model file (not a checkpoint) records its iteration: the loaded model goes on counting from it,
  // and saving it again names that iteration (not iter0).
  const f = await waitForFigures(page, (x) => x.valIteration === saved.iteration, 'the loaded model\'s validation',
    30000);
  assert.equal(f.valLoss, saved.valLoss);
  assert.equal(f.iteration, saved.iteration);
  const again = await saveWith('Save model');
  assert.equal(again.name, saved.name);
  assert.match(await page.textContent('#model-info'), /GRU, 2 × 192 hidden/);
});

test('a checkpoint resumes at its iteration with the same loss', { timeout: LONG }, async () => {
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const start = (await figures(page)).iteration;
  await waitForIteration(page, start + 3);
  await pause(page);
  const saved = await saveWith('Save checkpoint');
  assert.match(saved.name, /-checkpoint\.safetensors$/);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForIteration(page, saved.iteration + 2);

  const note = await loadFile(saved.file);
  assert.equal(Number(await note.getAttribute('data-val-loss')), saved.valLoss);
  const f = await figures(page);
  assert.equal(f.iteration, saved.iteration);
  assert.equal(f.valLoss, saved.valLoss);
  // And it trains on from there.
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForIteration(page, saved.iteration + 1);
  await pause(page);
});

test('a corrupt file or another vocabulary is refused and the model stays', { timeout: LONG }, async () => {
  const before = { info: await page.textContent('#model-info'), figures: await figures(page) };

  const corrupt = path.join(tmp, 'corrupt.safetensors');
  fs.writeFileSync(corrupt, Buffer.from('this is not a model file, just some text pretending to be one'));
  let note = await loadFile(corrupt);
  assert.match(await note.getAttribute('class'), /notice-error/);
  assert.match(await note.textContent(), /corrupt\.safetensors.*not a valid model file/s);
  assert.match(await note.textContent(), /current model is unchanged/);

  // A model trained (with the project's own engine, in Node) on a text with other characters.
  const { load } = await import(path.join(repoRoot, 'build', 'wasm', 'charrnn.js'));
  const engine = await load();
  const trainer = engine.createTrainer('abc cab bca '.repeat(50), { hiddenSize: 8, embedSize: 4, layers: 1 },
    { batchSize: 2, seqLen: 8 });
  trainer.train(2);
  const other = path.join(tmp, 'abc.safetensors');
  fs.writeFileSync(other, trainer.save());
  trainer.dispose();
  note = await loadFile(other);
  assert.match(await note.getAttribute('class'), /notice-error/);
  assert.match(await note.textContent(), /abc\.safetensors.*not in the model's vocabulary/s);

  assert.equal(await page.textContent('#model-info'), before.info);
  const after = await figures(page);
  assert.equal(after.iteration, before.figures.iteration);
  assert.equal(after.valLoss, before.figures.valLoss);
});

test('autosave: restoring after a reload gives back the same loss', { timeout: LONG }, async () => {
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const from = (await figures(page)).iteration;
  await until(page, (n) => Number(document.getElementById('autosave-status').dataset.iteration) > n,
    from);
  await pause(page);
  // An autosave written just before the pause may still be on its way: wait until it settles.
  const saved = await settled(() => page.evaluate(() => ({ ...document.getElementById('autosave-status').dataset })),
    'the autosave line', { interval: 1500 });

  await page.reload();
  const offer = await message(page, 'autosave-offer');
  assert.equal(await offer.getAttribute('data-iteration'), saved.iteration);
  assert.equal(await offer.getAttribute('data-val-loss'), saved.valLoss);
  await offer.getByRole('button', { name: 'Restore it' }).click();
  const note = await message(page, 'restored');
  assert.equal(await note.getAttribute('data-val-loss'), saved.valLoss);
  await waitForStatus(page, 'paused');
  const f = await figures(page);
  assert.equal(f.iteration, Number(saved.iteration));
  assert.equal(f.valLoss, Number(saved.valLoss));
  assert.ok((await page.getByLabel('Training text').inputValue()).startsWith('First Citizen:'));
});

test('a crashed worker is replaced and the autosave can be restored', { timeout: LONG }, async () => {
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const from = (await figures(page)).iteration;
  await until(page, (n) => Number(document.getElementById('autosave-status').dataset.iteration) > n,
    from);
  const saved = await page.evaluate(() => ({ ...document.getElementById('autosave-status').dataset }));
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }));
  const crash = await message(page, 'crash');
  assert.match(await crash.textContent(), /The trainer stopped/);
  const restore = crash.getByRole('button', { name: /Restore the autosaved model/ });
  await shows(restore);
  // The page started a new worker: the restore button works once it is ready.
  await until(page, () => !document.getElementById('train').disabled, null);
  await restore.click();
  const note = await message(page, 'restored');
  const restoredIteration = Number(await page.getAttribute('#figures', 'data-iteration'));
  assert.ok(restoredIteration >= Number(saved.iteration), 'the latest autosave is restored');
  assert.ok(Number.isFinite(Number(await note.getAttribute('data-val-loss'))));
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForIteration(page, restoredIteration + 1);
  assert.deepEqual(page.errors.filter((e) => !/simulated crash/.test(e)), []);
});

test('one click loads a pretrained model with its text', { timeout: LONG }, async () => {
  const built = (name) => fs.existsSync(path.join(repoRoot, 'build', 'web', 'models', name));
  await page.evaluate(() => document.querySelectorAll('[data-message="load"]').forEach((e) => e.remove()));
  await page.getByRole('button', { name: 'Shakespeare model', exact: true }).click();
  await confirmReplaceIfAsked(page, '[data-message="load"]');
  const note = await message(page, 'load');
  if (!built('shakespeare.safetensors')) {
    assert.match(await note.textContent(), /not part of this site/);
    return;
  }
  assert.match(await note.textContent(), /Loaded “shakespeare\.safetensors”/);
  // Trained by the project's CLI (examples/models/README.md): far below an untrained model's 4.17.
  assert.ok(Number(await note.getAttribute('data-val-loss')) < 1.9, await note.textContent());
  await waitForStatus(page, 'paused');
  assert.match(await page.textContent('#model-info'), /LSTM, 2 × 160 hidden/);
  await page.getByLabel('Priming text').fill('ROMEO:');
  const sample = await sampleNow(page);
  assert.equal(sample.prime, 'ROMEO:');
  assert.match(sample.gen, /\b(the|and|to|of|I|my|you|is)\b/, 'a trained model writes words');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, 'trainer-pretrained.png') });

  await page.evaluate(() => document.querySelectorAll('[data-message="load"]').forEach((e) => e.remove()));
  await page.getByRole('button', { name: 'Names model', exact: true }).click();
  await confirmReplaceIfAsked(page, '[data-message="load"]');
  const names = await message(page, 'load');
  assert.match(await names.textContent(), /Loaded “names\.safetensors”/);
  assert.match(await page.textContent('#text-stats'), /^proper-names\.txt:/);
  assert.ok(Number(await names.getAttribute('data-val-loss')) < 2.6, await names.textContent());
});

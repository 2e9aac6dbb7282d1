// A model that holds no text out (the Names preset: lines mode, Validation None, every line is
// training data to memorise) says so plainly wherever a validation loss would be: the figures,
// the chart's legend and description, the Models card's "Best so far" line, the autosave line and
// the Save dialog (which saves the latest weights: there is no best by validation loss). "Inside
// the network" looks at an excerpt of the training text and says so. And the characters per
// second count each line's real characters, not the padding that fills its chunk. A blow-up
// names the loss the kept weights were judged by: the training loss.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { screenshotDir, until, shows } from './harness.mjs';
import {
  LONG, waitForIteration, waitForFigures, clickTrain, message, waitForStatus,
  trainerPageFixture,
} from './trainer-helpers.mjs';

const fixture = trainerPageFixture({ width: 1280, firstStep: true, prepare: async (page) => {
  await page.getByRole('button', { name: 'Names', exact: true }).click();
  await until(page, () => document.getElementById('text-stats').dataset.chars === '67661', null);
  await clickTrain(page);
  await until(page, () => /trained on proper-names\.txt$/.test(document.getElementById('model-info').textContent),
    null);
} });
let page;
before(async () => ({ page } = await fixture.ready));

const text = (selector) => page.locator(selector).innerText();

test('the figures, the chart and the Models card say that no text is held out', { timeout: LONG }, async () => {
  assert.match(await text('#text-stats'), /67,661 for training, 0 for validation\.$/);
  await waitForIteration(page, 3);
  assert.equal(await text('#fig-val-loss'), 'no text held out');
  assert.equal(await text('#fig-val-note'), 'all of its text is training data');
  assert.equal(await text('#fig-perplexity-note'), 'of the training loss');
  assert.match(await text('#val-slice-note'), /^This model holds no text out: all of its text is training data/);
  assert.equal(await page.isVisible('#full-val'), false, 'nothing to evaluate on');
  await until(page, () => /no validation loss \(no text held out\)\.$/
    .test(document.getElementById('chart').getAttribute('aria-label')), null);
  assert.match(await text('#chart .u-legend'), /validation\s*no text held out/);
  const best = await text('#best-status');
  assert.match(best, /^Best so far: none kept \(no text held out, so no validation loss to choose by\)\. Save model saves the latest weights\.$/);
  // The autosave line, once the first autosave is written.
  await until(page, () => document.getElementById('autosave-status').dataset.iteration, null);
  assert.match(await text('#autosave-status'), /^Autosaved in this browser at iteration [\d,]+, no validation loss \(no text held out\), /);
  for (const s of ['#figures', '#chart', '#best-status', '#autosave-status']) {
    assert.doesNotMatch(await text(s), /not measured|None/, s);
  }
  await page.locator('.chart-card').screenshot({ path: path.join(screenshotDir, 'no-held-out-text-chart.png') });
});

test('Save model offers the latest weights and says why there is no best', { timeout: LONG }, async () => {
  await page.getByRole('button', { name: 'Save model', exact: true }).click();
  const dialog = page.locator('#save-dialog');
  await shows(dialog, { state: 'visible' });
  assert.match(await text('#save-latest'), /^Latest: iteration [\d,]+, the weights saved \(no text held out, so no best by validation loss to choose instead\)$/);
  assert.equal(await dialog.getByRole('radio', { name: /^Best so far/ }).isVisible(), false);
  assert.equal(await dialog.getByRole('radio', { name: /^Latest/ }).isChecked(), true);
  await dialog.screenshot({ path: path.join(screenshotDir, 'no-held-out-text-save.png') });
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
});

test('Inside the network looks at an excerpt of the training text, and says so', { timeout: LONG }, async () => {
  const card = page.locator('#inspect-card');
  await card.scrollIntoViewIfNeeded();
  await until(page, () => Number(document.getElementById('inspect-card').dataset.chars) > 1000, null);
  assert.match(await text('#inspect-meta'), /an excerpt of the training text proper-names\.txt \(no text held out\), [\d,]+ characters$/);
  assert.equal(await page.getByLabel('Text to inspect').getAttribute('placeholder'),
    'Empty: an excerpt of the training text (no text held out)');
  assert.match(await text('#inspect-hint'), /leave it empty for an excerpt of the training text \(no text held out\)\.$/);
  assert.equal(await text('#inspect-status'), '', 'no error');
  await card.screenshot({ path: path.join(screenshotDir, 'no-held-out-text-inspect.png') });
});

test('characters per second count the lines\' characters, not their padding', { timeout: LONG }, async () => {
  // charsPerSec × ms per iteration is the characters of a step: batch 16 × sequence 16 = 256
  // positions, most of them padding after a name of a few letters.
  const f = await waitForFigures(page, (v) => v.charsPerSec > 0 && v.msPerIter > 0, 'a speed');
  const charsPerStep = (f.charsPerSec * f.msPerIter) / 1000;
  assert.ok(charsPerStep > 16 && charsPerStep < 0.8 * 256, `${charsPerStep} characters a step`);
  assert.deepEqual(page.errors, []);
});

test('a blow-up says the weights kept were judged by their training loss', { timeout: LONG }, async () => {
  // The engine marks weights good every few seconds (by the training loss, with nothing held out).
  await until(page, () => document.getElementById('autosave-status').dataset.iteration, null);
  await page.getByLabel('Learning rate', { exact: true }).fill('100');
  await page.getByLabel('Learning rate', { exact: true }).press('Tab');
  const note = await message(page, 'diverged');
  assert.match(await note.textContent(), /the last good model, from iteration [\d,]+ \(training loss \d+\.\d+ nats\/char\), is back/);
  assert.doesNotMatch(await note.textContent(), /validation loss/);
  await waitForStatus(page, 'paused');
  assert.equal(await text('#fig-val-loss'), 'no text held out');
  assert.deepEqual(page.errors, []);
});

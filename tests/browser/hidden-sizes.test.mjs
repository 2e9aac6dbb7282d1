// The Settings card's Hidden size with one size per layer: a count that disagrees with Layers gets
// a message next to the field (and the model goes on), "48, 24" trains a new model of those
// sizes whose loss falls, Save model names the file by its sizes and stores them, and loading the
// file brings the sizes back into the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  LONG, waitForFigures, saveWith, loadModelFile, status, confirmTrainIfAsked, trainerPageFixture,
} from './trainer-helpers.mjs';
import { until, shows } from './harness.mjs';

const fixture = trainerPageFixture({ firstStep: true });
let page;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-hidden-sizes-'));
before(async () => ({ page } = await fixture.ready));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The model configuration stored in a .safetensors file's header. */
function modelConfigOf(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  return JSON.parse(header.__metadata__.model_config);
}

const session = async () => Number(await page.getAttribute('#model-info', 'data-session'));

test('hidden sizes per layer: checked against Layers, trained, saved and loaded', { timeout: 3 * LONG }, async () => {
  const hidden = page.getByLabel('Hidden size', { exact: true });
  const layers = page.getByLabel('Layers', { exact: true });
  const note = page.locator('#hidden-size-error');
  assert.equal(await layers.inputValue(), '2');

  // Three sizes for two layers: a message next to the field; the model goes on as it was.
  const sessionBefore = await session();
  await hidden.fill('48, 24, 12');
  await hidden.press('Tab');
  await shows(note, { state: 'visible' });
  assert.match(await note.textContent(), /lists 3 sizes for 2 layers: give one size for every layer, or exactly 2/);
  assert.equal(await hidden.getAttribute('aria-invalid'), 'true');
  assert.equal(await session(), sessionBefore, 'no new model');
  assert.equal(await status(page), 'training');

  // Zero (or text): refused before the page asks about discarding the model, and what it says is in
  // view below the sticky bar (a banner scrolled to the top used to sit under it), and stays there
  // while the cards above fill in (the inspect card's figures come a moment after the model starts:
  // their room is kept from the start, so nothing below them moves; they once pushed it below the
  // window).
  await hidden.fill('0');
  await hidden.press('Tab');
  await shows(note, { state: 'visible' });
  assert.equal(await page.locator('#confirm').evaluate((d) => d.open), false, 'no question about discarding the model');
  const inView = (selector) => page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    const bar = document.querySelector('.topbar').getBoundingClientRect().bottom;
    return { top: r.top, bottom: r.bottom, bar, height: window.innerHeight };
  }, selector);
  const inside = (r) => r.top >= r.bar - 1 && r.bottom <= r.height + 1;
  const seen = await inView('#hidden-size-error');
  assert.ok(inside(seen), JSON.stringify(seen));
  await until(page, () => document.getElementById('why').dataset.gatesIteration && document.getElementById('why').dataset.curve,
    null, 'the inspect card\'s figures');
  const later = await inView('#hidden-size-error');
  assert.ok(inside(later), `once the figures came: ${JSON.stringify(later)} (brought to ${JSON.stringify(seen)})`);
  assert.match(await note.textContent(), /one whole number for every layer.*it says “0”/);
  assert.equal(await session(), sessionBefore, 'no new model');
  await hidden.fill('48, 24, 12');
  await hidden.press('Tab');
  await shows(note, { state: 'visible' });

  // One per layer: the message goes, and the page (asking first) trains a new model of those sizes.
  await hidden.fill('48, 24');
  await hidden.press('Tab');
  await confirmTrainIfAsked(page);
  await shows(note, { state: 'hidden' });
  await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, sessionBefore);
  assert.match(await page.textContent('#model-info'), /2 layers of 48, 24 hidden/);

  // It learns: the smoothed training loss falls well below the first step's.
  const learnt = await waitForFigures(page, (f) => f.firstLoss > 0 && f.trainLoss < f.firstLoss - 0.8,
    'the loss to fall by 0.8 nats', 2 * LONG);
  assert.ok(learnt.trainLoss < learnt.firstLoss - 0.8);

  const saved = await saveWith(page, 'Save model', dir);
  assert.match(saved.name, /^charrnn-gru-48-24-iter\d+\.safetensors$/);
  const config = modelConfigOf(saved.file);
  assert.deepEqual(config.hidden_sizes, [48, 24]);
  assert.equal(config.layers, 2);

  // The file brings its sizes back into the form (which is made to show something else first,
  // without a change event: no new model).
  await page.evaluate(() => { document.getElementById('hidden-size').value = '7'; });
  const loaded = await loadModelFile(page, saved.file);
  await shows(loaded, { state: 'visible' });
  await until(page, () => /2 layers of 48, 24/.test(document.getElementById('model-info').textContent),
    null);
  assert.equal(await hidden.inputValue(), '48, 24');
  assert.equal(await note.isVisible(), false);
  assert.deepEqual(page.errors, []);
});

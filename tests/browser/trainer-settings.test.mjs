// The Settings card's L2 regularisation: it starts at the engine's default, a Train uses the value
// in the form (the saved checkpoint's training settings say so), and a value the engine refuses
// gets its message while the model goes on with the form showing its settings again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LONG, waitForIteration, message, saveWith, status, clickTrain, trainerPageFixture } from './trainer-helpers.mjs';
import { until } from './harness.mjs';

const fixture = trainerPageFixture({ firstStep: true });
let page;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-settings-'));
before(async () => ({ page } = await fixture.ready));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The training settings stored in a .safetensors checkpoint's header. */
function trainConfigOf(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  return JSON.parse(header.__metadata__.train_config);
}

const session = async () => Number(await page.getAttribute('#model-info', 'data-session'));

test('L2 regularisation: the engine default, used by Train, and a refused value', { timeout: LONG }, async () => {
  const l2 = page.getByLabel('L2 regularisation', { exact: true });
  assert.equal(await l2.inputValue(), '0', 'the engine default (core/model/config.h): off');
  assert.equal(trainConfigOf((await saveWith(page, 'Save checkpoint', dir)).file).l2, 0);

  await l2.fill('0.001');
  await l2.press('Tab');
  const before = await session();
  await clickTrain(page); // (saying yes if the page asks before replacing the trained model)
  await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, before);
  await waitForIteration(page, 1);
  const saved = trainConfigOf((await saveWith(page, 'Save checkpoint', dir)).file);
  assert.ok(Math.abs(saved.l2 - 0.001) < 1e-9, `the model trains with L2 ${saved.l2}`);

  await l2.fill('2');
  await clickTrain(page);
  const refused = await message(page, 'train');
  assert.match(await refused.textContent(), /L2 regularisation must be between 0 and 1 \(got 2\)/);
  assert.equal(await l2.inputValue(), '0.001', 'the form shows the settings of the model that goes on');
  assert.equal(await status(page), 'training');

  await page.getByRole('button', { name: 'Restore defaults' }).click();
  assert.equal(await l2.inputValue(), '0');
  assert.deepEqual(page.errors, []);
});

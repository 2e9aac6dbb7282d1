// A real crash of the engine, told from the reader's errors by its type: a WebAssembly trap inside
// an engine call (CALL.crashForTest, which only a page opened with ?test may make) is not a
// CharRnnError, so the worker reports a crash (isCrash, wasm_bindings/errors.js); the page says
// the trainer stopped, starts a new worker, and Train trains again.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { LONG, clickTrain, message, trainerPageFixture, waitForIteration } from './trainer-helpers.mjs';
import { until } from './harness.mjs';

const fixture = trainerPageFixture({ firstStep: true });
let page;
before(async () => ({ page } = await fixture.ready));

const session = async () => Number(await page.getAttribute('#model-info', 'data-session'));

test('a trap inside the engine is a crash: the worker is replaced and trains again', { timeout: LONG }, async () => {
  const answer = await page.evaluate(() => globalThis.charrnnCrashForTest()
    .then(() => ({ name: 'answered' }), (e) => ({ name: e.name, message: e.message })));
  assert.equal(answer.name, 'EngineCrash',
    `the trap should be a crash, not the reader's error: ${JSON.stringify(answer)}`);
  const crash = await message(page, 'crash');
  assert.match(await crash.textContent(), /The trainer stopped\.[\s\S]*unreachable[\s\S]*It has been restarted/);

  // The new worker is ready when Train is enabled again; it trains a new model.
  await until(page, () => !document.getElementById('train').disabled, null, 'Train enabled by the new worker');
  const before = await session();
  await clickTrain(page);
  await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, before,
    'a new model in the new worker');
  await waitForIteration(page, 1);
  assert.deepEqual(page.errors, []);
});

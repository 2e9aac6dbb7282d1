// The validation slice is measured every 6 s, or less often for a model so large that its slice
// takes long: then the next one waits ten times as long as the last took, so validating takes at
// most a tenth of the time (an LSTM 2×512 spent a third of its time on its slice at every 6 s).
// The default model keeps its 6 s; a large one's next slice comes no sooner than it was due.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { LONG, figures, waitForFigures, confirmTrainIfAsked, trainerPageFixture } from './trainer-helpers.mjs';
import { LOOP } from '../../web/settings/defaults.js';
import { until } from './harness.mjs';

const fixture = trainerPageFixture({ firstStep: true });
let page;
before(async () => ({ page } = await fixture.ready));

// next = max(6 s, duration / share), each rounded to the ms on the page.
const due = (valMs) => Math.max(LOOP.valEveryMs, valMs / LOOP.valMaxShare);

test('the default model validates every 6 s unless its slice takes longer than 0.6 s', { timeout: LONG }, async () => {
  const f = await waitForFigures(page, (x) => x.valMs >= 0 && x.valNextMs > 0, 'a validation');
  assert.ok(Math.abs(f.valNextMs - due(f.valMs)) <= 1 / LOOP.valMaxShare, `${f.valNextMs} ms after ${f.valMs} ms`);
});

test('a large model validates less often, so that its slice takes at most a tenth of the time', { timeout: LONG * 3 }, async () => {
  // Each architecture setting begins a new model once the reader agrees to discard the current one.
  const newModel = async (change) => {
    const session = Number(await page.getAttribute('#model-info', 'data-session'));
    await change();
    await confirmTrainIfAsked(page);
    await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, session);
  };
  await newModel(() => page.locator('#cell').selectOption('lstm')); // two layers, as the default
  await newModel(() => page.locator('#hidden-size').fill('512').then(() => page.locator('#hidden-size').press('Tab')));
  assert.match(await page.textContent('#model-info'), /^LSTM, 2 × 512 hidden/);
  // Each validation of the new model: when it arrived, how long it took, when the next is due.
  await page.evaluate(() => {
    window.validations = [];
    const el = document.getElementById('figures');
    new MutationObserver(() => {
      const d = el.dataset;
      window.validations.push({ at: performance.now(), valMs: Number(d.valMs), nextMs: Number(d.valNextMs) });
    }).observe(el, { attributes: true, attributeFilter: ['data-val-iteration'] });
  });
  await page.waitForFunction(() => window.validations.length >= 2, null, { timeout: LONG * 2 });
  const [first, second] = await page.evaluate(() => window.validations);
  assert.ok(first.valMs > LOOP.valEveryMs * LOOP.valMaxShare, `the 2×512 slice takes long (${first.valMs} ms)`);
  assert.ok(Math.abs(first.nextMs - due(first.valMs)) <= 1 / LOOP.valMaxShare, `${first.nextMs} ms after ${first.valMs} ms`);
  assert.ok(first.nextMs > LOOP.valEveryMs);
  // Due counts from the end of the slice, which is when the page heard of it.
  assert.ok(second.at - first.at >= first.nextMs, `the next after ${Math.round(second.at - first.at)} ms, due after ${first.nextMs}`);
  assert.ok((await figures(page)).iteration > 0);
});

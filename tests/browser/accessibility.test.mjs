// The trainer page from the keyboard and through a screen reader's eyes: Pause and Resume hand the
// focus to each other, the temperature slider moves in steps a person notices and says its value,
// messages land in a live region, and the loss chart has a text alternative that follows training.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  LONG, figures, waitForIteration, waitForStatus, waitForFigures, message,
  trainerPageFixture,
} from './trainer-helpers.mjs';
import { until } from './harness.mjs';

const fixture = trainerPageFixture({ firstStep: true });
let page;
before(async () => ({ page } = await fixture.ready));

const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

test('Enter on Pause moves the focus to Resume, and Enter on Resume back to Pause', { timeout: LONG }, async () => {
  // The status changes when the worker reports it; the focus moves when the call returns, a moment
  // later: each Enter waits for both, or it could land on the button just disabled.
  const pressEnterOn = async (id, state) => {
    await page.keyboard.press('Enter');
    await waitForStatus(page, state);
    const next = id === 'pause' ? 'resume' : 'pause';
    await until(page, (n) => document.activeElement?.id === n, next)
      .catch(async () => assert.fail(`after ${id} the focus is on ${await focused()}, not ${next}`));
  };
  await page.getByRole('button', { name: 'Pause', exact: true }).focus();
  for (let round = 0; round < 2; round++) {
    await pressEnterOn('pause', 'paused');
    assert.equal(await page.getByRole('button', { name: 'Resume', exact: true }).isEnabled(), true);
    await pressEnterOn('resume', 'training'); // on Resume, where the focus now is
  }
  // And the keyboard goes on from there without the mouse: Enter pauses again, and resumes.
  await pressEnterOn('pause', 'paused');
  await pressEnterOn('resume', 'training');
});

test('the temperature slider moves in steps a person notices and announces its value', { timeout: LONG }, async () => {
  const slider = page.getByRole('slider', { name: 'Temperature' });
  const read = async () => ({ shown: await page.textContent('#temperature-value'),
    valuetext: await slider.getAttribute('aria-valuetext') });
  const start = await read();
  assert.equal(start.shown, '0.80');
  assert.equal(start.valuetext, '0.80');
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  const up = await read();
  assert.equal(up.shown, '1.30', 'ten presses of the right arrow: 0.80 to 1.30, 0.05 a press');
  assert.equal(up.valuetext, up.shown, 'a screen reader hears the value shown');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await read()).shown, '1.25');
  await page.keyboard.press('Home');
  assert.equal((await read()).valuetext, '0.10');
  await page.keyboard.press('End');
  assert.equal((await read()).valuetext, '2.00');
  // Back to the default, from the keyboard, for the tests after this one.
  await page.keyboard.press('Home');
  for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowRight');
  assert.equal((await read()).shown, '0.80');
});

test('messages are announced: they appear inside a live region that was there before them', { timeout: LONG },
  async () => {
    const region = await page.evaluate(() => {
      const notices = document.getElementById('notices');
      return { live: notices.getAttribute('aria-live'), relevant: notices.getAttribute('aria-relevant') };
    });
    assert.equal(region.live, 'polite');
    // A message arrives (a learning rate that is not a number): it is in the region, and an error
    // interrupts (role alert).
    const box = page.getByLabel('Learning rate', { exact: true });
    await box.fill('fast');
    await box.press('Tab');
    const note = await message(page, 'lr');
    const inRegion = await note.evaluate((el) => el.closest('[aria-live]')?.id);
    assert.equal(inRegion, 'notices');
    assert.equal(await note.getAttribute('role'), 'alert');
    assert.match(await note.textContent(), /Check the learning rate/);
    await box.fill('0.003');
    await box.press('Tab');
    await until(page, () => !document.querySelector('[data-message="lr"]'), null);
  });

test('the loss chart has a text alternative with the latest figures, kept up to date', { timeout: LONG }, async () => {
  const chart = page.locator('#chart');
  assert.equal(await chart.getAttribute('role'), 'img');
  const f = await waitForFigures(page, (x) => Number.isFinite(x.valLoss), 'a validation loss');
  const described = async () => chart.getAttribute('aria-label');
  await until(page, () => /validation loss \d/.test(document.getElementById('chart').getAttribute('aria-label')),
    null);
  const one = await described();
  assert.match(one, /^Loss chart: iteration [\d,]+, training loss \(smoothed\) \d\.\d{3} nats\/char, validation loss \d\.\d{3} nats\/char at iteration [\d,]+\.$/);
  const iterationOne = Number(one.match(/^Loss chart: iteration ([\d,]+)/)[1].replaceAll(',', ''));
  assert.ok(iterationOne >= f.valIteration);
  // Training goes on: the description follows.
  await waitForIteration(page, iterationOne + 5);
  await until(page, (n) => {
    const m = document.getElementById('chart').getAttribute('aria-label').match(/^Loss chart: iteration ([\d,]+)/);
    return m && Number(m[1].replaceAll(',', '')) > n;
  }, iterationOne);
  // In bits when the page shows bits.
  await page.getByLabel('Bits per character').check();
  await until(page, () => /bits\/char/.test(document.getElementById('chart').getAttribute('aria-label')),
    null);
  await page.getByLabel('Bits per character').uncheck();
  assert.deepEqual(page.errors, []);
  assert.ok((await figures(page)).iteration > 0);
});

// The trainer page as a new reader meets it, on a desktop (1280 px) and a phone (375 px): the way
// to their own text is on the first screen, the highlighted button is the next useful step, the
// Train/Pause bar stays in reach on a phone, a message brought into view lands below the bar at
// every width and stays in view while the cards above it fill in, a tapped character's top guesses
// come into view, and the embed dialog says which weights its file holds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { until, nextFrame, settled } from './harness.mjs';
import {
  LONG, figures, waitForIteration, waitForStatus, waitForFigures, pause, message, clickTrain, trainerPageFixture,
} from './trainer-helpers.mjs';

const fixture = trainerPageFixture({ width: 1280, height: 800 });
let page;
before(async () => ({ page } = await fixture.ready));

/** Whether the element's box lies inside the window (and below the sticky bar when `belowBar`). */
const inView = (selector, { belowBar = false } = {}) => page.evaluate(([sel, belowBar]) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  const top = belowBar ? document.querySelector('.topbar').getBoundingClientRect().bottom : 0;
  return { inside: r.height > 0 && r.top >= top - 1 && r.bottom <= innerHeight + 1, top: r.top, bottom: r.bottom,
    barBottom: top, height: innerHeight };
}, [selector, belowBar]);

test('the cards below "Inside the network" stay put while its figures come in', { timeout: LONG }, async () => {
  // A new model, with the card off screen: it inspects (and its figures follow) once it is seen.
  await page.evaluate(() => window.scrollTo(0, 0));
  const before = Number(await page.getAttribute('#model-info', 'data-session'));
  await clickTrain(page);
  await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, before, 'the new model');
  const card = () => page.evaluate(() => document.getElementById('inspect-card').getBoundingClientRect().height);
  const waiting = await card();
  assert.ok(await page.evaluate(() => document.getElementById('inspect-card').getBoundingClientRect().top > innerHeight),
    'the card starts below the window');
  await page.evaluate(() => document.getElementById('why').scrollIntoView());
  await until(page, () => document.getElementById('why').dataset.gatesIteration && document.getElementById('why').dataset.curve,
    null, 'the gate plots and the reach curve');
  await until(page, () => document.querySelectorAll('#inspect-view .ir-text span').length > 10, null, 'the inspected text');
  const drawn = await card();
  // The figures' room (the plots, their captions, the lines under the text) is kept from the start.
  assert.ok(Math.abs(drawn - waiting) <= 1, `the card was ${waiting} px tall before its figures, ${drawn} px after`);
});

test('at 375, 1000 and 1280 px a message brought into view from further down lands below the bar', { timeout: LONG },
  async () => {
    const hidden = page.getByLabel('Hidden size', { exact: true });
    try {
      // 1,000 px: the controls wrap below the title, and the bar is taller than at 1,280 px.
      for (const width of [375, 1000, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await nextFrame(page);
        // A hidden size Train refuses (put in without a change event: no message under the field),
        // and Train pressed at the foot of the page: the message, at its top, is brought into view.
        await hidden.evaluate((el) => { el.value = '0'; });
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await clickTrain(page);
        const note = await message(page, 'train');
        assert.match(await note.textContent(), /Check the settings/);
        await nextFrame(page);
        const where = await inView('[data-message="train"]', { belowBar: true });
        assert.ok(where.inside, `at ${width} px the message lands below the bar: ${JSON.stringify(where)}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    assert.equal(await hidden.inputValue(), '192', 'the form shows the size in use again');
    await waitForStatus(page, 'training');
  });

test('at 1280 px the way to one\'s own text is on the first screen and leads to the text area', { timeout: LONG },
  async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const link = page.getByRole('link', { name: 'Use your own text' });
    assert.ok(await link.isVisible(), 'the link shows');
    const where = await inView('#own-text');
    assert.ok(where.inside, `the link is in the first viewport: ${JSON.stringify(where)}`);
    const textBefore = await inView('#text');
    assert.ok(!textBefore.inside, `the text area starts below the first screen: ${JSON.stringify(textBefore)}`);
    await link.click();
    await until(page, () => document.activeElement?.id === 'text', null, 'the focus on the training text', 20000);
    await until(page, () => {
      const r = document.getElementById('text').getBoundingClientRect();
      const bar = document.querySelector('.topbar').getBoundingClientRect().bottom;
      return r.top >= bar - 1 && r.top < innerHeight - 100;
    }, null, 'the training text scrolled into view below the bar', 20000);
  });

test('the embed dialog names the best weights\' iteration and the latest one when they differ', { timeout: LONG },
  async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await waitForFigures(page, (f) => Number.isFinite(f.valLoss), 'a validation loss');
    const note = page.locator('#embed-note');
    // Paused right at a validation, the latest weights are the best: train on and look again.
    const deadline = Date.now() + 120000;
    try {
    for (;;) {
      await pause(page);
      // The last step's report may come after the status: the figures once they stop changing.
      const shown = await settled(async () => (await figures(page)).iteration, 'the iteration shown', { timeout: 20000 });
      await page.getByRole('button', { name: 'Copy embed snippet…', exact: true }).click();
      await until(page, () => document.getElementById('embed-dialog').open && document.getElementById('embed-note')
        .textContent.length > 0, null, 'the embed dialog', 20000);
      const text = await note.textContent();
      await page.locator('#embed-dialog').getByRole('button', { name: 'Close', exact: true }).click();
      const differ = text.match(/the best weights so far \(iteration ([\d,]+), validation loss [\d.]+[^)]*\), not the latest \(iteration ([\d,]+)\)/);
      if (differ) {
        const [best, latest] = [differ[1], differ[2]].map((s) => Number(s.replace(/,/g, '')));
        // The figures can be one step behind the paused model (the step under way when Pause came).
        assert.ok(latest === shown || latest === shown + 1, `the latest iteration named (${latest}) is the page's (${shown})`);
        assert.ok(best < latest, `the best (${best}) is older than the latest (${latest})`);
        break;
      }
      assert.match(text, /the latest weights \(iteration [\d,]+, validation loss [\d.]+[^)]*\), which are also the best so far/);
      assert.ok(Date.now() < deadline, `the best weights stayed the latest for 120 s: ${text}`);
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      await waitForIteration(page, shown + 3);
    }
    } finally {
      // Training goes on for the tests after this one, whatever this one found.
      if (await page.locator('#embed-dialog').evaluate((d) => d.open)) await page.locator('#embed-close').click();
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      await waitForStatus(page, 'training');
    }
  });

test('at 375 px the Train/Pause bar stays in view when scrolled, and what scrolls into view lands below it',
  { timeout: LONG }, async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await nextFrame(page);
    await page.evaluate(() => window.scrollTo(0, 2000));
    await until(page, () => scrollY >= 1990, null, 'the page scrolled 2,000 px', 10000);
    await nextFrame(page);
    for (const id of ['train', 'pause', 'resume', 'reset', 'status']) {
      const where = await inView(`#${id}`);
      assert.ok(where.inside, `#${id} is in the viewport after scrolling 2,000 px: ${JSON.stringify(where)}`);
    }
    // The bar is the buttons, not the title: it takes at most a sixth of the phone's height.
    const bar = await page.evaluate(() => document.querySelector('.topbar').getBoundingClientRect().bottom);
    assert.ok(bar <= 800 / 6 + 20, `the bar covers ${bar} px of 800`);
    // A heading (or a message) scrolled into view is below the bar, not under it.
    await page.evaluate(() => document.getElementById('settings-heading').scrollIntoView());
    await nextFrame(page);
    const heading = await inView('#settings-heading', { belowBar: true });
    assert.ok(heading.inside, `the Settings heading lands below the bar: ${JSON.stringify(heading)}`);
  });

test('at 375 px a tapped character\'s top guesses come into view', { timeout: LONG }, async () => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('#inspect-card').scrollIntoViewIfNeeded();
  await until(page, () => document.querySelectorAll('#inspect-view .ir-text span').length > 10, null,
    'the inspected text', 60000);
  // The first character near the window's foot: its panel (below the text) is out of sight.
  await page.evaluate(() => {
    const span = document.querySelector('#inspect-view .ir-text span');
    window.scrollBy(0, span.getBoundingClientRect().top - (innerHeight - 60));
  });
  await nextFrame(page);
  const before = await inView('#inspect-view .ir-top');
  assert.ok(!before.inside, `before the tap the guesses are out of view: ${JSON.stringify(before)}`);
  const target = await page.evaluate(() => {
    const r = document.querySelector('#inspect-view .ir-text span').getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  // A finger's tap (a touch gesture, not a mouse click). The browser makes the tap's click from
  // the gesture after the touch events: touch stays on until that click has reached the text.
  await page.evaluate(() => {
    window.tapClicks = 0;
    document.querySelector('#inspect-view .ir-text').addEventListener('click', () => { window.tapClicks++; });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  try {
    for (const type of ['touchStart', 'touchEnd']) {
      await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [target] });
    }
    await until(page, () => window.tapClicks > 0, null, 'the tap\'s click on the text', 20000);
  } finally {
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
    await cdp.detach();
  }
  await until(page, () => document.querySelectorAll('#inspect-view .ir-top li').length > 0, null,
    'the top guesses of the tapped character', 20000);
  await until(page, () => {
    const r = document.querySelector('#inspect-view .ir-top').getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 1;
  }, null, 'the top guesses scrolled into view', 20000).catch(async (e) => {
    assert.fail(`${e.message}: ${JSON.stringify(await inView('#inspect-view .ir-top'))}`);
  });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('the highlighted button is the next useful step: Pause while training, Resume when paused, Train with no model',
  { timeout: LONG }, async () => {
    const primary = () => page.evaluate(() => ['train', 'pause', 'resume']
      .filter((id) => document.getElementById(id).classList.contains('primary')));
    await waitForStatus(page, 'training');
    assert.deepEqual(await primary(), ['pause'], 'training');
    await pause(page);
    assert.deepEqual(await primary(), ['resume'], 'paused');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await waitForStatus(page, 'training');
    assert.deepEqual(await primary(), ['pause'], 'training again');
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.locator('#confirm').getByRole('button', { name: 'Discard the model' }).click();
    await waitForStatus(page, 'idle');
    assert.deepEqual(await primary(), ['train'], 'no model');
    assert.deepEqual(page.errors, []);
  });

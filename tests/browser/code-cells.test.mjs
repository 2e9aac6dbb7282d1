// The seeds' pictures in the trainer page: the C code preset offers its pretrained LSTM; loaded, the
// Inside the network card lists the cells by name (inside quotes, inside a comment, bracket depth,
// line position, inside an if statement), each with its best unit and r, opens on the quote cell
// and steps to the others by name; tabs draw as narrow cells; with the best weights better than
// the latest, the card shows the best and says so. Screenshots of the card at 1280 and 375 px.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cardOverflow, screenshotDir, until, shows } from './harness.mjs';
import {
  LONG, trainerPageFixture, confirmReplaceIfAsked, waitForStatus, waitForFigures, figures, pause,
} from './trainer-helpers.mjs';

const fixture = trainerPageFixture({ width: 1280, height: 1000, firstStep: true });
let page;
before(async () => ({ page } = await fixture.ready));

const NAMES = ['inside quotes', 'inside a comment', 'bracket depth', 'line position', 'inside an if statement'];

/** The card's cells by name as the page shows them. */
function cells() {
  return page.evaluate(() => [...document.querySelectorAll('#inspect-cells button')].map((b) => ({
    property: b.dataset.property, neuron: b.dataset.neuron, r: Number(b.dataset.r), text: b.textContent,
    pressed: b.getAttribute('aria-pressed') === 'true', disabled: b.disabled })));
}

/** The background colour of every character of the card's text. */
function colours() {
  return page.evaluate(() => [...document.querySelectorAll('#inspect-view .ir-text span')]
    .map((s) => getComputedStyle(s).backgroundColor));
}

const cardNeuron = () => page.evaluate(() => document.getElementById('inspect-card').dataset.neuron);

test('the C code preset offers its pretrained model; the card opens on the quote cell and steps by name',
  { timeout: LONG }, async () => {
    await page.getByRole('button', { name: 'C code', exact: true }).click();
    const loaded = page.locator('[data-message="text-file"][data-preset="c-code"]');
    await shows(loaded, { what: 'the message that the C code text is loaded' });
    // The text's source and licence are said under it, and the licence is served.
    assert.match(await page.textContent('#text-credit'), /musl libc 1\.2\.2.*MIT licence: c-code\.COPYRIGHT\./);
    const licence = await page.evaluate(async () => {
      const r = await fetch(document.querySelector('#text-credit a').href);
      return { ok: r.ok, text: await r.text() };
    });
    assert.ok(licence.ok && /Permission is hereby granted/.test(licence.text), 'musl\'s COPYRIGHT is served');

    // One click: the pretrained model, with its text.
    await loaded.getByRole('button', { name: 'Load the pretrained C code model' }).click();
    await confirmReplaceIfAsked(page, '[data-message="load"]');
    await shows(page.locator('[data-message="load"]', { hasText: 'Loaded “c-code.safetensors”' }),
      { what: 'the C-code model loaded' });
    await waitForStatus(page, 'paused');
    await page.locator('#inspect-card').scrollIntoViewIfNeeded();

    // The card opens on the quote cell: its button pressed, its unit colouring the text.
    await until(page, () => {
      const b = document.querySelector('#inspect-cells button[data-property="inside quotes"]');
      return b?.getAttribute('aria-pressed') === 'true' &&
        document.getElementById('inspect-card').dataset.neuron === b.dataset.neuron &&
        document.getElementById('inspect-card').getAttribute('aria-busy') !== 'true';
    }, null, 'the card on the quote cell', 60000);
    const shown = await cells();
    assert.deepEqual(shown.map((c) => c.property), NAMES);
    for (const c of shown) {
      assert.equal(c.disabled, false, `${c.property} varies in the excerpt`);
      assert.match(c.text, new RegExp(`^${c.property}\\d+:\\d+ [hc] · r = [+−]\\d\\.\\d\\d$`));
      assert.match(c.neuron, /^[01]:\d+:[hc]$/);
      assert.ok(Math.abs(c.r) > 0.2, `${c.property}: r = ${c.r}`);
    }
    assert.deepEqual(shown.filter((c) => c.pressed).map((c) => c.property), ['inside quotes']);
    const quote = shown[0];
    const [layer, unit, state] = quote.neuron.split(':');
    assert.match(await page.textContent('#inspect-view .ir-legend'),
      new RegExp(`layer ${Number(layer) + 1} · neuron ${Number(unit) + 1} · ${state === 'c' ? 'cell state' : 'hidden state'}`));
    assert.match(await page.textContent('#inspect-meta'), /^Latest weights, iteration [\d,]+ · an excerpt of the validation text of c-code\.txt, [\d,]+ characters$/);
    console.log(`# C-code LSTM, cells by name on the card's excerpt: ${shown.map((c) => `${c.property} ${c.neuron} r=${c.r.toFixed(3)}`).join('; ')}`);

    // The excerpt has a string, a comment and nested brackets (the chooser's work).
    const text = await page.evaluate(() => [...document.querySelectorAll('#inspect-view .ir-text span')]
      .map((s) => s.textContent).join(''));
    assert.match(text, /"[^"↵]*"/, 'a string literal');
    assert.match(text, /\/\*|\/\//, 'a comment');

    // Stepping by name, with the keyboard: → from the quote cell to the comment cell, → again to
    // bracket depth; the text is recoloured by its unit.
    const byQuote = await colours();
    const depth = shown[2];
    assert.notEqual(depth.neuron, quote.neuron, 'two cells, two units');
    await page.locator('#inspect-cells button[data-property="inside quotes"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await until(page, (key) => document.getElementById('inspect-card').dataset.neuron === key, depth.neuron,
      'the text coloured by the bracket-depth cell', 30000);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.property), 'bracket depth');
    assert.deepEqual((await cells()).filter((c) => c.pressed).map((c) => c.property), ['bracket depth']);
    const byDepth = await colours();
    const changed = byQuote.filter((c, i) => c !== byDepth[i]).length;
    assert.ok(changed > byQuote.length / 4, `${changed} of ${byQuote.length} recoloured`);

    // Tabs draw as narrow cells (three characters), not as a block up to the next tab stop.
    const widths = await page.evaluate(() => {
      const spans = [...document.querySelectorAll('#inspect-view .ir-text span')];
      const tab = spans.find((s) => s.textContent === '\t');
      const letter = spans.find((s) => /^[a-z]$/.test(s.textContent));
      return { tab: tab?.getBoundingClientRect().width, letter: letter.getBoundingClientRect().width };
    });
    assert.ok(widths.tab >= 2 * widths.letter - 0.5 && widths.tab <= 4 * widths.letter + 0.5,
      `a tab ${widths.tab} px wide, a letter ${widths.letter} px`);

    // The card at 1280 and at 375 px wide (nothing sticks out), for the record.
    await page.locator('#inspect-view .ir-text span').nth(40).click();
    const shoot = async (name, width) => {
      await page.locator('#inspect-card').scrollIntoViewIfNeeded();
      const box = await page.evaluate((w) => {
        const b = document.getElementById('inspect-card').getBoundingClientRect();
        return { x: Math.max(0, b.x + scrollX - 8), y: b.y + scrollY - 8, width: Math.min(w, b.width + 16), height: b.height + 16 };
      }, width);
      await page.screenshot({ path: path.join(screenshotDir, name), fullPage: true, clip: box });
    };
    await shoot('code-cells-card.png', 1280);
    await page.setViewportSize({ width: 375, height: 800 });
    await until(page, () => document.documentElement.clientWidth <= 375, null, 'the narrow layout', 10000);
    const overflow = await cardOverflow(page, 'inspect-card');
    assert.ok(overflow.page <= 375, `the page scrolls sideways: ${overflow.page} px`);
    assert.deepEqual(overflow.sticking, []);
    await shoot('code-cells-card-375.png', 375);
    await page.setViewportSize({ width: 1280, height: 1000 });
    assert.deepEqual(page.errors, []);
  });

test('the card shows the best weights when the latest validate worse, and says so', { timeout: LONG }, async () => {
  // A learning rate far too high for a trained model: the next validation is worse than the
  // loaded weights', which stay the best kept.
  const best = await page.evaluate(() => ({ ...document.getElementById('best-status').dataset }));
  const bestIteration = Number(best.iteration);
  assert.ok(Number.isFinite(bestIteration), `the loaded weights are the best so far: ${JSON.stringify(best)}`);
  await page.getByLabel('Learning rate', { exact: true }).fill('0.05');
  await page.getByLabel('Learning rate', { exact: true }).dispatchEvent('change');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForFigures(page, (f) => f.valIteration > bestIteration && f.valLoss > Number(best.valLoss),
    'a validation worse than the best kept', 120000);
  await pause(page);
  assert.equal(Number((await page.evaluate(() => ({ ...document.getElementById('best-status').dataset }))).iteration),
    bestIteration, 'the best kept is still the loaded weights');
  const latest = (await figures(page)).iteration;
  await page.locator('#inspect-card').scrollIntoViewIfNeeded();
  await until(page, () => document.getElementById('inspect-card').dataset.weights === 'best' &&
    document.getElementById('inspect-card').getAttribute('aria-busy') !== 'true', null,
  'the card on the best weights', 60000);
  assert.equal(Number(await page.evaluate(() => document.getElementById('inspect-card').dataset.weightsIteration)),
    bestIteration);
  const fmt = (n) => n.toLocaleString('en');
  // The card names the trainer's iteration when it looked, which need not be the one the figures
  // show (a refresh while the pause was on its way, a report not yet drawn): after the best.
  const meta = await page.textContent('#inspect-meta');
  const shown = new RegExp(`^Best weights, iteration ${fmt(bestIteration)} \\(the latest, ([\\d,]+), validate worse\\) · `).exec(meta);
  assert.ok(shown, `the card says which weights: ${meta}`);
  const latestShown = Number(shown[1].replace(/,/g, ''));
  assert.ok(latestShown > bestIteration, `the latest named (${latestShown}) is after the best (${bestIteration}; the page shows ${latest})`);
  // The cells by name are those of the best weights: still all five, with units.
  assert.equal((await cells()).filter((c) => c.neuron).length, 5);
  assert.deepEqual(page.errors, []);
});

test('the embed example: the quote cell and the depth cell over a short C function', { timeout: LONG }, async () => {
  const embed = await page.context().newPage();
  embed.errors = [];
  embed.on('pageerror', (e) => embed.errors.push(e.message));
  await embed.setViewportSize({ width: 900, height: 1000 });
  await embed.goto(new URL('/embed/', page.url()).href);
  await until(embed, () => ['quote-cell', 'depth-cell'].every((id) => ['done', 'error'].includes(document.getElementById(id).state)),
    null, 'the two C widgets', 60000);
  /** Per character of widget `id`: the character and its colour's red minus blue (red: +, blue: −). */
  const shades = (id) => embed.evaluate((i) => [...document.getElementById(i).shadowRoot.querySelectorAll('.ir-text span')]
    .map((s) => {
      const [r, , b] = getComputedStyle(s).backgroundColor.match(/\d+/g).map(Number);
      return { ch: s.textContent, redness: r - b };
    }), id);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [id, legend] of [['quote-cell', /layer 2 · neuron 150 · cell state/], ['depth-cell', /layer 1 · neuron 82 · cell state/]]) {
    assert.equal(await embed.evaluate((i) => document.getElementById(i).state, id), 'done');
    assert.match(await embed.locator(`#${id} .ir-legend`).textContent(), legend);
  }
  // The quote cell: red inside the format string, pale or blue elsewhere.
  const quote = await shades('quote-cell');
  const text = quote.map((c) => c.ch).join('');
  const open = text.indexOf('"');
  const close = text.indexOf('"', open + 1);
  const inside = quote.slice(open, close).map((c) => c.redness);
  const outside = quote.filter((c, i) => i < open || i > close).map((c) => c.redness);
  assert.ok(mean(inside) > mean(outside) + 60, `inside the string ${mean(inside)}, elsewhere ${mean(outside)}`);
  // Quotes in a comment open no string, and the cell stays as it is in code there.
  const quoted = text.indexOf('"gracefully"');
  const inComment = quote.slice(quoted, quoted + '"gracefully"'.length).map((c) => c.redness);
  assert.ok(mean(inComment) < mean(inside) - 60, `"gracefully" in the comment ${mean(inComment)}, the string ${mean(inside)}`);
  // The depth cell: bluer inside the call's brackets (depth 2 and more) than at depth 0 and 1.
  const depth = await shades('depth-cell');
  let level = 0;
  const deep = [];
  const shallow = [];
  depth.forEach((c) => {
    if ('([{'.includes(c.ch)) level++;
    if (')]}'.includes(c.ch)) level--;
    (level >= 2 ? deep : shallow).push(c.redness);
  });
  assert.ok(mean(deep) < mean(shallow) - 25, `deep ${mean(deep)}, shallow ${mean(shallow)}`);
  await embed.locator('#quote-cell').screenshot({ path: path.join(screenshotDir, 'embed-quote-cell.png') });
  await embed.locator('#depth-cell').screenshot({ path: path.join(screenshotDir, 'embed-depth-cell.png') });
  assert.deepEqual(embed.errors, []);
  await embed.close();
});

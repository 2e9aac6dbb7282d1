// "Inside the network" in headless Chromium: the trainer page's card shows the validation text
// coloured by a neuron while the model trains and refreshes itself; the arrow keys walk the text
// and show the top 5 guesses; the Neuron control and "Find interpretable neurons" recolour the
// text; a reader's HTML is shown as text; a refresh makes no long task, and how long it takes is
// printed for the README. Then the <char-rnn view="inspect"> widget on the embed page.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cardOverflow, screenshotDir, until, shows } from './harness.mjs';
import { LONG, openTrainer, waitForStatus, pause, longTasksInWindows, trainerPageFixture } from './trainer-helpers.mjs';

const fixture = trainerPageFixture({ width: 1280, height: 1000, prepare: async (page) => {
  page.dialogs = [];
  page.on('dialog', (dialog) => {
    page.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
} });
let server;
let browser;
let page;
before(async () => ({ server, browser, page } = await fixture.ready));

const card = () => page.getByRole('region', { name: 'Inside the network' });

/** The card's figures (data attributes of #inspect-card) as numbers, and its neuron. */
function cardData(p = page) {
  return p.evaluate(() => {
    const d = document.getElementById('inspect-card').dataset;
    return { refreshes: Number(d.refreshes ?? 0), iteration: Number(d.iteration ?? -1), chars: Number(d.chars ?? 0),
      refreshMs: Number(d.refreshMs), inspectMs: Number(d.inspectMs), renderMs: Number(d.renderMs), neuron: d.neuron,
      busy: document.getElementById('inspect-card').getAttribute('aria-busy') === 'true' };
  });
}

/** Waits until the card has been refreshed more than `count` times; returns its figures. */
async function refreshedAfter(count, p = page) {
  await until(p, (n) => Number(document.getElementById('inspect-card').dataset.refreshes ?? 0) > n &&
    document.getElementById('inspect-card').getAttribute('aria-busy') !== 'true', count);
  return cardData(p);
}

/** The background colour of every character in the card (or in a widget's shadow root). */
function colours(p, widgetId = null) {
  return p.evaluate((id) => {
    const root = id ? document.getElementById(id).shadowRoot : document.getElementById('inspect-view');
    return [...root.querySelectorAll('.ir-text span')].map((s) => getComputedStyle(s).backgroundColor);
  }, widgetId);
}

/** Waits until the card's text is coloured by neuron `key` ("layer:unit:h|c", counted from 0). */
function colouredBy(key) {
  return until(page, (k) => document.getElementById('inspect-card').dataset.neuron === k, key);
}

function differing(a, b) {
  assert.equal(a.length, b.length);
  return a.filter((c, i) => c !== b[i]).length;
}

test('the card shows the validation text coloured by a neuron, and refreshes itself while training',
  { timeout: LONG }, async () => {
    await waitForStatus(page, 'training');
    const first = await refreshedAfter(0);
    assert.ok(await card().isVisible());
    // The start of tinyshakespeare's validation part, from its first line start: about 2,000 characters.
    assert.ok(first.chars >= 1000 && first.chars <= 2000, `${first.chars} characters`);
    const shown = await page.evaluate(() => [...document.querySelectorAll('#inspect-view .ir-text span')]
      .map((s) => s.textContent).join(''));
    assert.equal(Array.from(shown).length, first.chars, 'one element per character');
    assert.ok(shown.startsWith('GREMIO:↵Good morrow, neighbour Baptista.↵'), shown.slice(0, 80));
    assert.match(await page.textContent('#inspect-meta'), /^Latest weights, iteration [\d,]+ · an excerpt of the validation text of tinyshakespeare\.txt, 1,994 characters$/);
    // Line breaks are line breaks: the text has as many lines (blocks) as line breaks plus one.
    const lines = await page.locator('#inspect-view .ir-line').count();
    assert.equal(lines, (shown.match(/↵/g) ?? []).length + (shown.endsWith('↵') ? 0 : 1));
    assert.match(await page.textContent('#inspect-view .ir-legend'), /layer 1 · neuron 1 · hidden state h\s*−1\s*\+1/);
    assert.match(await page.textContent('#inspect-view .ir-strip-note'), /Mean \d\.\d{3} nats\/char/);
    // No click: the next refresh comes by itself, with newer weights.
    const next = await refreshedAfter(first.refreshes);
    assert.ok(next.iteration > first.iteration, `refreshed at iteration ${next.iteration} after ${first.iteration}`);
    assert.deepEqual(page.errors, []);
  });

test('the arrow keys walk the text and show the top 5 next characters', { timeout: LONG }, async () => {
  // The last control before the text: the last cell by name that varies in it (line position here).
  await page.locator('#inspect-cells button:not(:disabled)').last().focus();
  await page.keyboard.press('Tab'); // into the text: its one focusable character
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const spans = [...document.querySelectorAll('#inspect-view .ir-text span')];
    return { index: spans.indexOf(el), text: el.textContent };
  });
  assert.deepEqual(await focused(), { index: 0, text: 'G' });
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.deepEqual(await focused(), { index: 3, text: 'M' });
  const top = page.getByRole('list', { name: 'Top 5 next characters' });
  await top.waitFor({ state: 'visible' });
  const rows = await top.getByRole('listitem').allTextContents();
  assert.equal(rows.length, 5);
  const probabilities = rows.map((r) => Number(/([\d.]+)%/.exec(r)?.[1] ?? 0));
  assert.deepEqual([...probabilities].sort((a, b) => b - a), probabilities, `likeliest first: ${rows}`);
  assert.match(await page.textContent('#inspect-view .ir-now'),
    /^“M”, character 4 of 1,994: the model gave it [\d.<]+% \(surprise \d+\.\d\d nats\)\. Neuron [+−]\d\.\d\d\.$/);
  // Down a line: "G|REM" column 3 of line 1 → column 3 of "Good morrow, …".
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await focused(), { index: 8 + 3, text: 'd' });
  await page.keyboard.press('End');
  assert.equal((await focused()).text, '↵', 'End goes to the line break');
  assert.match(await page.textContent('#inspect-view .ir-now'), /^“↵”/, 'a line break is shown as ↵');
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused()).text, '↵', 'the empty line');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused()).text, '.');
  // Spaces among the guesses are shown as ␣ (after "Good" the likeliest next character is a space).
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal((await focused()).text, 'd');
  assert.ok((await top.allTextContents()).join('').includes('␣'), 'a space is shown as ␣');
});

test('the Neuron control and "Find interpretable neurons" recolour the text', { timeout: LONG }, async () => {
  // Paused, so only the neuron changes the colours (the card refreshes once for the last weights).
  await pause(page);
  const shown = (await cardData()).refreshes; // read before the click: a refresh can finish before the next read
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const { iteration } = await refreshedAfter(shown);
  const before = await colours(page);

  const neuron = page.getByRole('spinbutton', { name: 'Neuron' });
  await neuron.fill('42');
  await page.getByLabel('Layer', { exact: true }).selectOption('2');
  await colouredBy('1:41:h');
  const by42 = await colours(page);
  assert.ok(differing(before, by42) > before.length / 4, `${differing(before, by42)} of ${before.length} recoloured`);
  assert.match(await page.textContent('#inspect-view .ir-legend'), /layer 2 · neuron 42 · hidden state h/);
  // The model is a GRU: no cell state to pick.
  assert.equal(await page.locator('#inspect-state option[value="c"]').isDisabled(), true);

  const refreshes = (await cardData()).refreshes;
  await page.getByRole('button', { name: 'Find interpretable neurons' }).click();
  await refreshedAfter(refreshes);
  const found = page.locator('#inspect-found');
  await found.waitFor({ state: 'visible' });
  const text = await found.textContent();
  // The Shakespeare excerpt has no double quotes, brackets, comments or indentation.
  for (const property of ['inside quotes', 'bracket depth', 'inside a comment', 'indentation']) {
    const block = found.locator('.found-property', { hasText: property });
    assert.match(await block.textContent(), /Does not vary in this text/, property);
  }
  const word = found.locator('.found-property', { hasText: 'inside a word' }).getByRole('button');
  assert.equal(await word.count(), 3, text);
  const best = word.first();
  const r = Number(await best.getAttribute('data-r'));
  assert.ok(Math.abs(r) > 0.3 && Math.abs(r) <= 1, `r = ${r}`);
  assert.match(await best.textContent(), /^layer \d · neuron \d+ · h\s*r = [+−]\d\.\d\d$/);
  const [layer, unit] = (await best.getAttribute('data-neuron')).split(':').map(Number);
  const atFound = await colours(page);
  await best.click();
  await colouredBy(await best.getAttribute('data-neuron'));
  const byBest = await colours(page);
  assert.ok(differing(atFound, byBest) > atFound.length / 4, `${differing(atFound, byBest)} recoloured`);
  assert.equal(await best.getAttribute('aria-pressed'), 'true');
  assert.equal(await neuron.inputValue(), String(unit + 1), 'the Neuron control follows the choice');
  assert.equal(await page.getByLabel('Layer', { exact: true }).inputValue(), String(layer + 1));
  console.log(`# best "inside a word" neuron at iteration ${iteration}: layer ${layer + 1}, neuron ${unit + 1}, r = ${r.toFixed(3)}`);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStatus(page, 'training');
});

test('a reader\'s HTML in "Text to inspect" is shown as text', { timeout: LONG }, async () => {
  const payload = '<img src=x onerror=alert(1)><b>bold</b>\n<script>alert(2)</script>';
  const refreshes = (await cardData()).refreshes;
  await page.getByLabel('Text to inspect').fill(payload);
  await until(page, () => document.getElementById('inspect-meta').textContent.includes('your text'), null);
  const data = await refreshedAfter(refreshes);
  assert.equal(data.chars, Array.from(payload).length);
  const view = page.locator('#inspect-view .ir-text');
  assert.equal(await view.locator('img, b, script').count(), 0, 'no element made from the text');
  assert.equal(await page.locator('img').count(), 0);
  assert.equal((await view.textContent()).replace(/↵/g, '\n'), payload);
  // "<" and ">" are not in Shakespeare: marked, and said so.
  await view.locator('span').first().hover();
  assert.match(await page.textContent('#inspect-view .ir-now'), /^“<”, character 1 of \d+: not in the model’s vocabulary/);
  const vocab = await page.evaluate(async () => [...new Set(await (await fetch('corpora/tinyshakespeare.txt')).text())]);
  const unknown = Array.from(payload).filter((ch) => !vocab.includes(ch)).length;
  assert.equal(await view.locator('span.ir-unknown').count(), unknown);
  assert.deepEqual(page.dialogs, [], 'nothing ran');
  // Emptied, the card goes back to the validation text.
  await page.getByLabel('Text to inspect').fill('');
  await until(page, () => document.getElementById('inspect-meta').textContent.includes('validation text'),
    null);
  assert.deepEqual(page.errors, []);
});

test('refreshing the card makes no long task; its refresh time for ~2,000 characters', { timeout: LONG }, async () => {
  const refreshOnce = async () => {
    const { refreshes } = await cardData();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    return refreshedAfter(refreshes);
  };
  // The reader's text arrives as a paste would: the text area's own editing (which playwright's
  // fill() drives key by key through the browser's editor) is not the card's refresh.
  const paste = (text) => page.getByLabel('Text to inspect').evaluate((el, value) => {
    el.focus();
    el.value = value;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
  // A window of refreshes: same text (colours only), a new text (every element made again),
  // another neuron, and the arrow keys. Paused, so that the window holds the card's work and not
  // the chart's and the samples' (trainer-page.test.mjs watches those while training; the card's
  // share of the page's work is the same either way). Repeated if the OS paused the page.
  await pause(page);
  const windows = await longTasksInWindows(page, async (attempt) => {
    await refreshOnce();
    await refreshOnce();
    const { refreshes } = await cardData();
    await paste(`${'To be, or not to be, that is the question:\n'.repeat(45)}${attempt}`);
    await refreshedAfter(refreshes);
    await page.getByRole('spinbutton', { name: 'Neuron' }).fill(String(10 + attempt));
    await page.locator('#inspect-view .ir-text span[tabindex="0"]').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    const again = (await cardData()).refreshes;
    await paste('');
    await refreshedAfter(again);
  });
  assert.deepEqual(windows.at(-1), [], `long tasks in every window: ${JSON.stringify(windows)}`);

  // How long a refresh takes, click to drawn (the worker's inspection between training chunks,
  // the transfer, the drawing, the next frame): paused, and while training.
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const measure = async () => {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await refreshOnce());
    return { chars: runs[0].chars, total: median(runs.map((r) => r.refreshMs)),
      engine: median(runs.map((r) => r.inspectMs)), draw: median(runs.map((r) => r.renderMs)) };
  };
  const paused = await measure();
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStatus(page, 'training');
  const training = await measure();
  for (const [when, m] of [['paused', paused], ['training', training]]) {
    console.log(`# card refresh for ${m.chars} characters (${when}), median of 5: ${m.total.toFixed(0)} ms ` +
      `(engine ${m.engine.toFixed(0)} ms, drawing ${m.draw.toFixed(1)} ms)`);
  }
  assert.ok(paused.draw < 50, `drawing takes ${paused.draw} ms`);
});

test('the pretrained LSTM: its line-length cell state, and screenshots at 1280 and 375 pixels wide',
  { timeout: LONG }, async () => {
    // The pretrained Shakespeare LSTM (the one in examples/embed/): cell states to pick, and
    // neurons that have had time to specialise.
    await page.getByRole('button', { name: 'Shakespeare model' }).click();
    await shows(page.locator('[data-message="load"]'), { state: 'visible' });
    await waitForStatus(page, 'paused');
    const { refreshes } = await cardData();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await refreshedAfter(refreshes);
    assert.equal(await page.locator('#inspect-state option[value="c"]').isDisabled(), false, 'an LSTM has a cell state');
    const ranked = (await cardData()).refreshes;
    await page.getByRole('button', { name: 'Find interpretable neurons' }).click();
    await refreshedAfter(ranked);
    const line = page.locator('#inspect-found .found-property', { hasText: 'line position' }).getByRole('button').first();
    // The same cell as the embed example finds on its shorter excerpt (layer 1, neuron 86, tanh c).
    assert.equal(await line.getAttribute('data-neuron'), '0:85:c');
    const r = Number(await line.getAttribute('data-r'));
    assert.ok(r < -0.5, `r = ${r}`);
    console.log(`# pretrained Shakespeare LSTM, best "line position" unit on the card's excerpt: layer 1, neuron 86, ` +
      `cell state, r = ${r.toFixed(3)}`);
    await line.click();
    await colouredBy('0:85:c');
    assert.equal(await page.getByLabel('State', { exact: true }).inputValue(), 'c');
    assert.match(await page.textContent('#inspect-view .ir-legend'), /layer 1 · neuron 86 · cell state \(tanh c\)/);
    await page.locator('#inspect-view .ir-text span').nth(122).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.evaluate(() => {
      const b = document.getElementById('inspect-card').getBoundingClientRect();
      return { x: b.x + scrollX - 8, y: b.y + scrollY - 8, width: b.width + 16, height: b.height + 16 };
    });
    await page.screenshot({ path: path.join(screenshotDir, 'inspect-card.png'), fullPage: true, clip: box });

    const narrow = await openTrainer(browser.context, server.url, { width: 375, height: 800 });
    // Off screen, the card waits; scrolled to, it fills in.
    await until(narrow, () => Number(document.getElementById('figures').dataset.iteration) >= 3, null);
    await narrow.locator('#inspect-card').scrollIntoViewIfNeeded();
    await refreshedAfter(0, narrow);
    await narrow.locator('#inspect-view .ir-text span').nth(4).click();
    const overflow = await cardOverflow(narrow, 'inspect-card');
    assert.ok(overflow.page <= 375, `the page scrolls sideways: ${overflow.page} px`);
    assert.deepEqual(overflow.sticking, []);
    await narrow.evaluate(() => window.scrollTo(0, 0));
    const narrowBox = await narrow.evaluate(() => {
      const r = document.getElementById('inspect-card').getBoundingClientRect();
      return { x: 0, y: r.y + scrollY - 8, width: 375, height: r.height + 16 };
    });
    await narrow.screenshot({ path: path.join(screenshotDir, 'inspect-card-375.png'), fullPage: true, clip: narrowBox });
    assert.deepEqual(narrow.errors, []);
    await narrow.close();
  });

test('the widget\'s inspect view: the text coloured by the given neuron, the top 5 on focus', { timeout: LONG },
  async () => {
    const embed = await browser.context.newPage();
    embed.errors = [];
    embed.on('pageerror', (e) => embed.errors.push(e.message));
    await embed.setViewportSize({ width: 900, height: 1000 });
    await embed.goto(`${server.url}/embed/`);
    await embed.waitForFunction(() => ['done', 'error'].includes(document.getElementById('line-neuron').state), null,
      { timeout: 60000 });
    const widget = embed.locator('#line-neuron');
    assert.equal(await embed.evaluate(() => document.getElementById('line-neuron').state), 'done');
    assert.match(await widget.locator('.ir-legend').textContent(), /layer 1 · neuron 86 · cell state \(tanh c\)/);
    const text = await embed.evaluate(() => document.getElementById('line-neuron').getAttribute('text'));
    const spans = widget.locator('.ir-text span');
    assert.equal(await spans.count(), Array.from(text).length);
    assert.equal((await widget.locator('.ir-text').textContent()).replace(/↵/g, '\n'), text);
    // A line-position cell: strongly coloured both ways over the text.
    const shades = await colours(embed, 'line-neuron');
    const rgb = shades.map((c) => c.match(/\d+/g).map(Number));
    assert.ok(rgb.some(([r, , b]) => r > b + 80), 'some characters are red');
    assert.ok(rgb.some(([r, , b]) => b > r + 80), 'some characters are blue');
    assert.equal(await widget.locator('.bar').isVisible(), false, 'no sampling controls');

    // Keyboard: Tab reaches the text; the arrow keys move; the guesses show.
    await widget.locator('.ir-text span[tabindex="0"]').focus();
    await embed.keyboard.press('ArrowRight');
    const top = widget.getByRole('list', { name: 'Top 5 next characters' });
    await top.waitFor({ state: 'visible' });
    assert.equal(await top.getByRole('listitem').count(), 5);
    assert.match(await widget.locator('.ir-now').textContent(), /^“R”, character 2 of 685: the model gave it/);

    // Another neuron recolours at once; a neuron the model does not have says so.
    await embed.evaluate(() => document.getElementById('line-neuron').setAttribute('neuron', '2:83'));
    assert.ok(differing(shades, await colours(embed, 'line-neuron')) > shades.length / 4);
    assert.match(await widget.locator('.ir-legend').textContent(), /layer 2 · neuron 83 · cell state/);
    await embed.evaluate(() => document.getElementById('line-neuron').setAttribute('neuron', '3:1'));
    assert.equal(await embed.evaluate(() => document.getElementById('line-neuron').state), 'error');
    assert.match(await widget.locator('.status').textContent(), /this model has 2 layers/);
    await embed.evaluate(() => document.getElementById('line-neuron').setAttribute('neuron', '1:86'));
    assert.equal(await embed.evaluate(() => document.getElementById('line-neuron').state), 'done');
    assert.deepEqual(await colours(embed, 'line-neuron'), shades);

    await widget.locator('.ir-text span').nth(60).hover();
    await widget.screenshot({ path: path.join(screenshotDir, 'widget-inspect.png') });
    assert.deepEqual(embed.errors, []);
    await embed.close();
  });

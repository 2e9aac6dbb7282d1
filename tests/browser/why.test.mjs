// "Why it works" in the trainer page's Inside the network card, in headless Chromium: the
// vs-n-gram colouring and the n-gram's validation loss (the engine's and the CLI's), the gate
// plots (one point per unit per gate, the fractions of gateSaturation() on the same weights, and
// the CLI's for the shipped Shakespeare model), the reach strip of the character the keyboard is
// on and the reach curve, all reached by keyboard, no long task on the main thread while the
// worker computes, and the section at 375 px.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { until, shows, poll, screenshotDir } from './harness.mjs';
import {
  LONG, waitForStatus, pause, longTasksInWindows, trainerPageFixture, saveWith, loadModelFile,
} from './trainer-helpers.mjs';
import { loadEngine, findCli, runCli, root, tempDir } from '../node/support.mjs';

const fixture = trainerPageFixture({ width: 1280, height: 1000 });
let page;
let engine;
let dir;
const corpus = path.join(root, 'examples/corpora/tinyshakespeare.txt');
before(async () => {
  ({ page } = await fixture.ready);
  ({ engine } = await loadEngine());
  dir = tempDir('why-page');
});

/** The section's figures (data attributes of #why, written under ?test). */
const why = () => page.evaluate(() => ({ ...document.getElementById('why').dataset }));
/** Waits until the text is coloured against the n-gram of `order` ('' : by the neuron again); says what it saw if not. */
async function ngramShown(order) {
  let seen = null;
  try {
    await poll(async () => {
      seen = await page.evaluate(() => ({ order: document.getElementById('why').dataset.ngramOrder ?? '',
        colour: document.getElementById('why-colour').value, select: document.getElementById('why-order').value,
        says: document.getElementById('why-ngram-losses').textContent }));
      return seen.order === order;
    }, `the ${order ? `${order}-gram` : 'neuron'} colouring`);
  } catch (e) {
    assert.fail(`${e.message}; the section: ${JSON.stringify(seen)}`);
  }
}

const inspectRefreshes = () => page.evaluate(() => Number(document.getElementById('inspect-card').dataset.refreshes ?? 0));
const cliBuilt = () => { try { return findCli(); } catch { return null; } };

/** Clicks Refresh and waits for the card's inspection and the gate plot of its iteration. */
async function refreshed() {
  const before = await inspectRefreshes();
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await until(page, (n) => Number(document.getElementById('inspect-card').dataset.refreshes ?? 0) > n &&
    document.getElementById('inspect-card').getAttribute('aria-busy') !== 'true', before, 'the card\'s refresh');
  const iteration = await page.evaluate(() => Number(document.getElementById('inspect-card').dataset.iteration));
  await until(page, (i) => Number(document.getElementById('why').dataset.gatesIteration) >= i, iteration,
    `the gate plot of iteration ${iteration}`);
  return iteration;
}

/** The text on show (the spans draw a line break as ↵). */
const shownText = () => page.evaluate(() => [...document.querySelectorAll('#inspect-view .ir-text span')]
  .map((s) => (s.textContent === '↵' ? '\n' : s.textContent)).join(''));

// The reader's text arrives as a paste would (as in inspect.test.mjs: fill() types through the editor).
const paste = (text) => page.getByLabel('Text to inspect').evaluate((el, value) => {
  el.focus();
  el.value = value;
  el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
}, text);

const colours = () => page.evaluate(() => [...document.querySelectorAll('#inspect-view .ir-text span')]
  .map((s) => getComputedStyle(s).backgroundColor));

test('better or worse than the n-gram: every character coloured, the n-gram\'s loss the engine\'s and the CLI\'s',
  { timeout: LONG }, async () => {
    await waitForStatus(page, 'training');
    await pause(page);
    await refreshed();
    const byNeuron = await colours();
    await page.getByLabel('Colour the text by').selectOption('vs-ngram');
    await ngramShown('5');
    const five = await why();
    const text = await shownText();
    assert.equal(Number(five.ngramColoured), Array.from(text).length, 'every character has a colour');
    const byNgram = await colours();
    const changed = byNgram.filter((c, i) => c !== byNeuron[i]).length;
    assert.ok(changed > byNgram.length / 4, `${changed} of ${byNgram.length} recoloured`);
    assert.match(await page.textContent('#inspect-view .ir-legend'), /ln p\(network\) − ln p\(5-gram\)\s*5-gram better\s*network better/);
    assert.match(await page.textContent('#why-ngram-losses'),
      /^Validation loss: the 5-gram model \d\.\d{3} nats\/char, the network \d\.\d{3} nats\/char\. On this text: /);
    assert.match(await page.textContent('#why-ngram-shares'), /line break|does better/);
    // The panel says how the two models did on the character under the keyboard.
    await page.locator('#inspect-view .ir-text span[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.match(await page.textContent('#inspect-view .ir-now'), /The 5-gram model gave it [\d.]+%: the network was (better|worse) by \d\.\d\d nats\./);

    // The same loss as the engine's (WASM, in Node) and the CLI's for the same text and order.
    const analysis = engine.loadAnalysis(fs.readFileSync(path.join(root, 'examples/models/shakespeare.safetensors')));
    const corpusText = fs.readFileSync(corpus);
    const wasm5 = analysis.countNgram(corpusText, { order: 5 }).valLoss;
    assert.ok(Math.abs(Number(five.ngramValLoss) - wasm5) <= 1e-6, `page ${five.ngramValLoss}, WASM ${wasm5}`);
    if (cliBuilt()) {
      const native = JSON.parse(runCli(['ngram', '--data', corpus, '--order', '5', '--json']).toString()).val_loss;
      assert.ok(Math.abs(Number(five.ngramValLoss) - native) <= 1e-6, `page ${five.ngramValLoss}, CLI ${native}`);
    } else {
      console.log('# the CLI is not built: the n-gram loss is checked against the WASM engine only');
    }
    // Another order: counted once, then kept.
    await page.getByLabel('n-gram order').selectOption('3');
    await ngramShown('3');
    const wasm3 = analysis.countNgram(corpusText, { order: 3 }).valLoss;
    analysis.dispose();
    assert.ok(Math.abs(Number((await why()).ngramValLoss) - wasm3) <= 1e-6, 'order 3');
    console.log(`# n-gram counting on tinyshakespeare in the page's worker: order 5 ${five.ngramCountMs} ms, ` +
      `order 3 ${(await why()).ngramCountMs} ms`);
    // Back to the neuron: its colours again.
    await page.getByLabel('Colour the text by').selectOption('neuron');
    await ngramShown('');
    assert.deepEqual(await colours(), byNeuron);
    assert.match(await page.textContent('#inspect-view .ir-legend'), /layer 1 · neuron 1/);
    assert.deepEqual(page.errors, []);
  });

test('the gate plots: one point per unit per gate, the fractions of gateSaturation() on the same weights',
  { timeout: LONG }, async () => {
    const iteration = await refreshed();
    const d = await why();
    const g = JSON.parse(d.gates);
    assert.deepEqual(g.gateNames, ['reset', 'update'], 'the page\'s default model is a GRU');
    assert.deepEqual(JSON.parse(d.gatePoints), g.layerHidden.map((units) => g.gateNames.map(() => units)));
    assert.equal(await page.locator('#why-gates .why-gate-plot canvas').count(), g.layerHidden.length);
    const saved = await saveWith(page, 'Save model', dir);
    assert.equal(saved.iteration, iteration, 'the file holds the weights on show');
    const analysis = engine.loadAnalysis(fs.readFileSync(saved.file));
    const expected = analysis.gateSaturation(await shownText());
    analysis.dispose();
    assert.equal(g.chars, expected.chars);
    let compared = 0;
    for (let l = 0; l < expected.layers; l++) {
      for (let s = 0; s < expected.gates; s++) {
        for (let u = 0; u < expected.layerHidden[l]; u++) {
          const at = (l * expected.gates + s) * expected.hidden + u;
          assert.ok(Math.abs(g.left[at] - expected.left[at]) <= 1e-6, `left ${l}/${s}/${u}`);
          assert.ok(Math.abs(g.right[at] - expected.right[at]) <= 1e-6, `right ${l}/${s}/${u}`);
          compared++;
        }
      }
    }
    assert.equal(compared, g.layerHidden.reduce((a, b) => a + b, 0) * g.gateNames.length);
  });

test('the reach strip follows the keyboard, and the keyboard reaches the whole section', { timeout: LONG }, async () => {
  await page.locator('#inspect-view .ir-text span[tabindex="0"]').focus();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 70; i++) await page.keyboard.press('ArrowRight');
  await until(page, () => document.getElementById('why').dataset.reachPosition === '70', null, 'the strip of character 71');
  const text = Array.from(await shownText());
  assert.equal((await why()).reachCells, '50', 'the 50 characters before it');
  const cells = await page.locator('#why-reach-strip span').allTextContents();
  assert.equal(cells.length, 51, 'the 50 before and the character itself');
  assert.equal(cells.join(''), text.slice(20, 71).map((c) => (c === '\n' ? '↵' : c)).join(''));
  assert.match(await page.textContent('#why-reach-note'), /^What the prediction of “.” \(character 71\) depended on, over the 50 characters before it: most on /);
  // Near the start, the strip is as long as what came before.
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await until(page, () => document.getElementById('why').dataset.reachPosition === '7', null, 'the strip of character 8');
  assert.equal((await why()).reachCells, '7');
  // Tab goes from the text to the section's controls, and they work from the keyboard.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'why-colour');
  await page.keyboard.press('ArrowDown');
  await ngramShown('3'); // the order the first test chose
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'why-order');
  await page.keyboard.press('ArrowDown'); // from 3 (the first test's) to 4
  await ngramShown('4');
  // The figures are described in words for a screen reader.
  assert.match(await page.getAttribute('#why-reach-curve', 'aria-label'), /gradient/);
  assert.match(await page.locator('.why-gate-plot').first().getAttribute('aria-label'), /^Layer 1: each of its \d+ units/);
  await page.getByLabel('Colour the text by').selectOption('neuron');
});

// Paused, as in inspect.test.mjs, so that the window holds this section's work and not the chart's
// and the samples' (the worker's pieces go between training chunks either way). Each window
// starts on a new text (pasted before it: the card's own drawing of a new text is
// inspect.test.mjs's to watch), whose gates and reach curve the worker computes during it.
test('the reach curve comes in pieces, and the page makes no long task while the worker computes',
  { timeout: LONG }, async () => {
    const cardHeight = () => page.evaluate(() => document.getElementById('inspect-card').getBoundingClientRect().height);
    const heights = [];
    let iteration = 0;
    const windows = await longTasksInWindows(page, async (attempt) => {
      heights.push(await cardHeight());
      await page.getByLabel('Colour the text by').selectOption('vs-ngram');
      const order = String([2, 1, 6][attempt]); // not counted yet: counted in the worker now
      await page.getByLabel('n-gram order').selectOption(order);
      await ngramShown(order);
      await page.locator('#inspect-view .ir-text span[tabindex="0"]').focus();
      for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
      // A whole curve of the new text: its pieces ran between training chunks.
      await until(page, (i) => {
        const d = document.getElementById('why').dataset;
        return d.curveMeasured === d.curveTotal && Number(d.curveIteration) >= i;
      }, iteration, `a whole reach curve of iteration ${iteration} or later`);
      heights.push(await cardHeight());
      await page.getByLabel('Colour the text by').selectOption('neuron');
    }, async (attempt) => {
      // Another text each time (paused, the same text and weights are not measured again).
      await page.evaluate(() => { delete document.getElementById('why').dataset.curveMeasured; });
      const before = await inspectRefreshes();
      await paste('To be, or not to be, that is the question:\n'.repeat(20 + attempt));
      await until(page, (n) => Number(document.getElementById('inspect-card').dataset.refreshes ?? 0) > n &&
        document.getElementById('inspect-card').getAttribute('aria-busy') !== 'true', before,
        'the card\'s refresh on the new text');
      iteration = await page.evaluate(() => Number(document.getElementById('inspect-card').dataset.iteration));
    });
    assert.deepEqual(windows.at(-1), [], `long tasks in every window: ${JSON.stringify(windows)}`);
    await paste('');
    // The card keeps its height through colourings, refreshes, strips and curve pieces: the cards
    // below it never move (which would repaint the training text's area, a long task of its own).
    assert.ok(heights.every((h) => h === heights[0]), `the card's height: ${heights}`);
    const d = await why();
    const curve = JSON.parse(d.curve);
    assert.equal(curve.length, 50, 'distances 1..50');
    assert.ok(curve.every((y) => y > 0), 'a size at every distance');
    assert.ok(curve[0] > curve[49], `the gradient fades with distance: ${curve[0]} at 1, ${curve[49]} at 50`);
    console.log(`# reach curve: ${d.curveTotal} positions, ${d.curvePositionMs} ms per position in the worker, ` +
      `longest piece ${d.curvePieceMs} ms; reach strip ${d.reachMs} ms; gate saturation ${d.gatesMs} ms`);
  });

test('at 375 px the section fits the screen', { timeout: LONG }, async () => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('#why').scrollIntoViewIfNeeded();
  await until(page, () => {
    const plots = [...document.querySelectorAll('#why canvas')];
    return plots.length > 0 && plots.every((c) => c.getBoundingClientRect().right <= innerWidth);
  }, null, 'the plots within the screen');
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    section: [...document.querySelectorAll('#why, #why *')].filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5)
      .map((el) => el.id || el.className).slice(0, 5),
  }));
  assert.deepEqual(overflow, { page: 0, section: [] });
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.locator('#why').screenshot({ path: path.join(screenshotDir, 'why-375.png') });
  await page.setViewportSize({ width: 1280, height: 1000 });
});

test('the shipped Shakespeare model: the page\'s gate fractions are the CLI\'s', { timeout: LONG }, async (t) => {
  const model = path.join(root, 'examples/models/shakespeare.safetensors');
  const loaded = await loadModelFile(page, model);
  await shows(loaded, { what: 'the loaded model\'s message' });
  await refreshed();
  const g = JSON.parse((await why()).gates);
  assert.deepEqual(g.gateNames, ['input', 'forget', 'output'], 'an LSTM');
  const textFile = path.join(dir, 'excerpt.txt');
  fs.writeFileSync(textFile, await shownText());
  const analysis = engine.loadAnalysis(fs.readFileSync(model));
  const wasm = analysis.gateSaturation(await shownText());
  analysis.dispose();
  if (!cliBuilt()) {
    t.diagnostic('the CLI is not built (scripts/build.sh native): compared with the WASM engine only');
  }
  const native = cliBuilt() ? JSON.parse(runCli(['gates', '--model', model, '--text', textFile, '--json']).toString()) : null;
  assert.equal(g.chars, native?.chars ?? wasm.chars);
  for (let l = 0; l < g.layerHidden.length; l++) {
    g.gateNames.forEach((name, s) => {
      for (let u = 0; u < g.layerHidden[l]; u++) {
        const at = (l * g.gateNames.length + s) * g.hidden + u;
        const left = native ? native.layers[l].gates[name].left[u] : wasm.left[at];
        const right = native ? native.layers[l].gates[name].right[u] : wasm.right[at];
        // One character's gate may sit on the other side of a threshold after WASM's arithmetic.
        assert.ok(Math.abs(g.left[at] - left) <= 1.5 / g.chars, `left ${l} ${name} ${u}: ${g.left[at]} vs ${left}`);
        assert.ok(Math.abs(g.right[at] - right) <= 1.5 / g.chars, `right ${l} ${name} ${u}: ${g.right[at]} vs ${right}`);
      }
    });
  }
  assert.deepEqual(page.errors, []);
});

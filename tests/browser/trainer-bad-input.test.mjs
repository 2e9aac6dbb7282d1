// Bad input in the trainer page: HTML in the training text and in a file name shows literally;
// an empty text, a text too short for the sequence length, a binary file, a 50 MB file, settings
// that need more memory than a tab has and a learning rate that makes the loss explode each get a
// clear message, and the model trained so far stays. Without WASM SIMD the page says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { screenshotDir, until, shows } from './harness.mjs';
import {
  LONG, openTrainer, figures, status, waitForFigures, waitForIteration, waitForStatus, message, fillTrainingText,
  clickTrain as clickTrainButton,
  trainerPageFixture,
} from './trainer-helpers.mjs';

const fixture = trainerPageFixture({ firstStep: true });
let server;
let browser;
let page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'charrnn-bad-input-'));

const INJECTION = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' +
  '<b>bold</b> &amp; &lt;i&gt;\n';

before(async () => ({ server, browser, page } = await fixture.ready));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function clickTrain() {
  await page.evaluate(() => document.querySelectorAll('[data-message="train"]').forEach((e) => e.remove()));
  await clickTrainButton(page); // saying yes if the page asks before replacing the trained model
}

/** The model as the page shows it: what must not change when bad input is refused. */
async function modelState() {
  return { info: await page.textContent('#model-info'), vocab: await page.getAttribute('#text-stats', 'data-symbols') };
}

test('HTML in the training text and in a file name shows literally', { timeout: LONG }, async () => {
  const text = INJECTION.repeat(40);
  await fillTrainingText(page, text);
  await clickTrain();
  const symbols = new Set(text).size;
  await until(page, () => document.getElementById('model-info').textContent.endsWith('trained on the text area'),
    null);
  assert.equal(await page.getAttribute('#text-stats', 'data-symbols'), String(symbols));
  // A new model on the new text: its first loss is a uniform guess among the text's symbols.
  await waitForFigures(page, (f) => f.iteration >= 1 && Math.abs(f.firstLoss - Math.log(symbols)) < 0.3,
    'training on the HTML text');
  await until(page, () => Number(document.getElementById('sample-text').dataset.count) >= 1, null);
  const sample = await page.textContent('#sample-text');
  assert.match(sample, /[<>"=]/, 'the sample holds the text\'s markup characters, as text');
  assert.equal(await page.getByLabel('Training text').inputValue(), text);
  const vocab = await page.$$eval('#vocab span', (spans) => spans.map((s) => s.textContent));
  assert.ok(vocab.includes('<') && vocab.includes('>') && vocab.includes('&'));

  // A file whose name is markup.
  const name = '<img src=x onerror="window.__pwned = 3">.txt';
  await page.setInputFiles('#text-file', { name, mimeType: 'text/plain', buffer: Buffer.from('plain words\n'.repeat(50)) });
  await until(page, (n) => document.getElementById('text-stats').textContent.startsWith(n), name);

  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script or handler ran');
  assert.equal(await page.locator('img, script:not([src])').count(), 0, 'no element came from the text');
  assert.deepEqual(page.errors, []);
});

test('an empty text gets a message and the model stays', { timeout: LONG }, async () => {
  const before = await modelState();
  await page.getByLabel('Training text').fill('');
  await clickTrain();
  const note = await message(page, 'train');
  assert.match(await note.textContent(), /The text is empty\. Paste or load some text/);
  assert.match(await note.textContent(), /current model is unchanged/);
  assert.equal(await page.textContent('#model-info'), before.info);
  assert.equal(await status(page), 'training', 'the model trained so far goes on');
});

test('a text too short for the sequence length gets a message', { timeout: LONG }, async () => {
  await page.getByLabel('Training text').fill('abcdefghij');
  await clickTrain();
  const note = await message(page, 'train');
  assert.match(await note.textContent(), /too short: it has 10 characters, and a sequence length of 50 needs at least/);
  assert.equal(await status(page), 'training');
});

test('a binary file gets a message and the text stays', { timeout: LONG }, async () => {
  await fillTrainingText(page, INJECTION.repeat(40));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x80]);
  await page.setInputFiles('#text-file', { name: 'picture.png', mimeType: 'image/png', buffer: png });
  const note = await message(page, 'text-file');
  assert.match(await note.textContent(), /picture\.png.*not valid UTF-8/s);
  assert.match(await note.textContent(), /current text is unchanged/);
  assert.equal(await page.getByLabel('Training text').inputValue(), INJECTION.repeat(40));
});

test('a 50 MB file is refused before it is read', { timeout: LONG }, async () => {
  const big = path.join(tmp, 'big.txt');
  fs.writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'a'));
  await page.evaluate(() => document.querySelectorAll('[data-message="text-file"]').forEach((e) => e.remove()));
  await page.setInputFiles('#text-file', big);
  const note = await message(page, 'text-file');
  assert.match(await note.textContent(), /big\.txt.*50 MiB.*up to 20 MiB/s);
  assert.equal(await page.getByLabel('Training text').inputValue(), INJECTION.repeat(40));
});

test('settings that need more memory than a tab has get a message', { timeout: LONG }, async () => {
  // The premise is a model that has trained (the page asks before discarding one): a model an
  // earlier test has just started may not have reported its first step yet.
  await waitForIteration(page, 1);
  const before = await modelState();
  // The model's own size (the recipe's for the text an earlier test trained on).
  const ownSize = await page.getByLabel('Hidden size', { exact: true }).inputValue();
  await page.getByLabel('Hidden size', { exact: true }).fill('4096');
  await page.getByLabel('Hidden size', { exact: true }).press('Tab');
  // A trained model is about to be thrown away: the page asks first.
  const dialog = page.getByRole('dialog');
  await shows(dialog);
  assert.match(await dialog.textContent(), /hidden size needs a new model/);
  await dialog.getByRole('button', { name: 'Discard it and train a new model' }).click();
  const note = await message(page, 'train');
  assert.match(await note.textContent(), /would need about [\d.]+ GiB of memory to train, more than the 1 GiB/);
  assert.match(await note.textContent(), /Lower the hidden size/);
  assert.equal(await page.textContent('#model-info'), before.info, 'the current model stays');
  assert.equal(await status(page), 'training');
  assert.equal(await page.getByLabel('Hidden size', { exact: true }).inputValue(), ownSize, 'the form shows the model\'s size again');
  await page.getByLabel('Hidden size', { exact: true }).fill(ownSize);
  await page.getByLabel('Hidden size', { exact: true }).press('Tab');
  assert.equal(await dialog.isVisible(), false, 'back to the model\'s own size: nothing to ask');
});

/** The diverged message names the rate in force: at most `set`, and within 1% of it. */
function assertRateNear(text, set) {
  const rate = Number(text.match(/At learning rate ([\d.,]+), the loss exploded/)?.[1].replace(/,/g, ''));
  assert.ok(rate <= set && rate > set * 0.99, `the message names rate ${rate}, having set ${set}: ${text}`);
}

test('learning rates of 100, then 10 blow up: each time the last good model comes back, a rate that works is offered',
  { timeout: LONG }, async () => {
    const before = await figures(page);
    await page.getByLabel('Learning rate', { exact: true }).fill('100');
    await page.getByLabel('Learning rate', { exact: true }).press('Tab');
    const note = await message(page, 'diverged');
    // The rate in force when it blew up: 100 as set, or a little below it on the budget's falling
    // curve; never above what the visitor set.
    assertRateNear(await note.textContent(), 100);
    assert.match(await note.textContent(), /Training is paused and the last good model, from iteration \d+.*is back in place/);
    await waitForStatus(page, 'paused');
    const kept = await figures(page);
    assert.ok(kept.iteration <= before.iteration + 3, 'the model went back to before the explosion');
    // The rate the good weights trained at (the budget's schedule had it at or a little below the
    // peak 0.003), not a tenth of 100.
    const offer = note.getByRole('button', { name: /^Resume at learning rate / });
    const offered = (await offer.textContent()).replace('Resume at learning rate ', '');
    assert.ok(Number(offered) <= 0.003 && Number(offered) > 0.002, `offered ${offered}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshotDir, 'trainer-diverged.png') });

    // A second blow-up, at 10 (which can leave finite but ruined weights), still returns to them.
    const first = await note.textContent();
    await page.getByLabel('Learning rate', { exact: true }).fill('10');
    await page.getByLabel('Learning rate', { exact: true }).press('Tab');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await until(page, (was) => {
      const text = document.querySelector('[data-message="diverged"]')?.textContent ?? '';
      return text.includes('exploded') && text !== was;
    }, first, 'a second blow-up');
    const again = await message(page, 'diverged');
    assertRateNear(await again.textContent(), 10);
    await waitForStatus(page, 'paused');
    const restored = Number((await again.textContent()).match(/from iteration ([\d,]+)/)[1].replace(/,/g, ''));
    assert.ok(restored <= kept.iteration, `back to iteration ${restored}, not a later one`);

    await again.getByRole('button', { name: `Resume at learning rate ${offered}` }).click();
    await waitForStatus(page, 'training');
    assert.equal(await page.getByLabel('Learning rate', { exact: true }).inputValue(), offered);
    const after = await waitForFigures(page, (f) => f.iteration >= restored + 5 && f.learningRate < 0.01,
      'training at the lower rate');
    assert.ok(after.trainLoss < Math.log(new Set(INJECTION).size) + 1, `the loss is sane again (${after.trainLoss})`);
    assert.equal(await page.locator('[data-message="diverged"]').count(), 0);
  });

test('without WebAssembly SIMD the page says so', { timeout: LONG }, async () => {
  const noSimd = await openTrainer(browser.context, server.url, {
    // What a browser without SIMD answers: wasm-feature-detect validates a SIMD module.
    initScript: () => { WebAssembly.validate = () => false; },
  });
  const note = await message(noSimd, 'fatal');
  assert.match(await note.textContent(), /WebAssembly SIMD is not available.*current Chrome, Edge, Firefox or Safari/s);
  await waitForStatus(noSimd, 'failed');
  assert.equal(await noSimd.getByRole('button', { name: 'Train', exact: true }).isDisabled(), true);
  await noSimd.close();
});

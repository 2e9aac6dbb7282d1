// The lines mode in the page: the preset Sentences to memorise turns on *Treat each line as an
// example* with nothing held out (no validation loss to climb to 8 nats), and the Samples card then
// shows five whole lines at a time, each marked from the text or new, with the share of each;
// the model comes to reproduce the sentences. The switch off again gives the usual stream samples.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, screenshotDir, until } from './harness.mjs';
import {
  LONG, figures, clickTrain as clickTrainButton,
  trainerPageFixture,
} from './trainer-helpers.mjs';

const sentences = readFileSync(path.join(repoRoot, 'examples', 'corpora', 'sentences.txt'), 'utf8').trim().split('\n');

const fixture = trainerPageFixture({ width: 1280, firstStep: true });
let page;
before(async () => ({ page } = await fixture.ready));

const session = async () => Number(await page.getAttribute('#model-info', 'data-session'));

async function clickTrain() {
  const before = await session();
  await clickTrainButton(page); // yes if the page asks before replacing the model
  await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, before);
}

/** The shown lines as { mark, text }, once at least `count` sets of lines have been shown. */
async function linesShown(count = 1) {
  await until(page, (n) => Number(document.getElementById('sample-lines').dataset.count) >= n, count);
  return page.$$eval('#sample-lines li', (items) => items.map((li) => ({
    mark: li.querySelector('.line-mark').textContent, text: li.querySelector('.line-text').textContent })));
}

test('Sentences to memorise: lines mode, nothing held out, five marked lines that become the sentences',
  { timeout: 2 * LONG }, async () => {
    const lineSwitch = page.getByRole('switch', { name: 'Treat each line as an example' });
    assert.equal(await lineSwitch.isChecked(), false, 'the page opens on one stream (Shakespeare)');
    await page.getByRole('button', { name: 'Sentences to memorise', exact: true }).click();
    assert.equal(await lineSwitch.isChecked(), true, 'the preset turns the lines mode on');
    // The memorising settings (the engine's recipe for lines mode) fill the form once the text is staged.
    await until(page, () => document.getElementById('hold-out').value === '0', null, 'nothing held out');
    assert.match(await page.textContent('#hold-out'), /for memorising, all lines are training data/);
    await until(page, () => document.getElementById('text-stats').dataset.chars === '190', null);
    await clickTrain();
    assert.match(await page.textContent('#text-stats'), /190 for training, 0 for validation\.$/,
      'the data line shows the model\'s own split: every line trains');

    let lines = await linesShown();
    assert.equal(lines.length, 5, 'five lines at a time');
    for (const l of lines) {
      assert.ok(['from the text', 'new', 'new (cut)'].includes(l.mark), l.mark);
      assert.equal(l.mark === 'from the text', sentences.includes(l.text), `${l.text} marked ${l.mark}`);
    }
    assert.equal(await page.isVisible('#sample-text'), false, 'the lines take the sample box\'s place');
    assert.match(await page.textContent('#lines-share'), /^Last \d+ lines: \d+% from the text, \d+% new\.$/);

    // It memorises: a set of lines all from the text (the defaults for this mode get there in well
    // under a minute of training on a quiet machine; waiting on the condition, not the clock).
    await page.waitForFunction(() => {
      const items = [...document.querySelectorAll('#sample-lines .line-mark')];
      return items.length === 5 && items.every((m) => m.textContent === 'from the text');
    }, null, { timeout: 2 * LONG - 30000 });
    lines = await linesShown();
    for (const l of lines) assert.ok(sentences.includes(l.text), l.text);
    await page.locator('.samples-card').screenshot({ path: path.join(screenshotDir, 'lines-mode-samples.png') });
    await page.locator('#data-card').screenshot({ path: path.join(screenshotDir, 'lines-mode-data.png') });
    const f = await figures(page);
    assert.ok(!Number.isFinite(f.valLoss), `no validation loss when nothing is held out (got ${f.valLoss})`);
    assert.ok(f.trainLoss < 1, `training loss ${f.trainLoss}`);
    assert.deepEqual(page.errors, []);
  });

test('the switch off again: stream samples in the box, no marked lines', { timeout: LONG }, async () => {
  const lineSwitch = page.getByRole('switch', { name: 'Treat each line as an example' });
  await lineSwitch.uncheck();
  await clickTrain();
  assert.equal(await lineSwitch.isChecked(), false, 'the new model trains on one stream');
  await until(page, () => Number(document.getElementById('sample-text').dataset.count) >= 1, null);
  assert.equal(await page.isVisible('#sample-text'), true);
  assert.equal(await page.isVisible('#lines-samples'), false);
  assert.deepEqual(page.errors, []);
});

test('Names turns the lines mode on with its settings; Shakespeare turns it off again', { timeout: LONG }, async () => {
  const lineSwitch = page.getByRole('switch', { name: 'Treat each line as an example' });
  // The form takes the recipe for the text once it is staged (the memorising one in lines mode).
  const form = () => page.evaluate(() => ({ hold: document.getElementById('hold-out').value,
    hidden: document.getElementById('hidden-size').value, seq: document.getElementById('seq-len').value,
    reason: document.getElementById('recipe-reason').textContent }));
  await page.getByRole('button', { name: 'Names', exact: true }).click();
  assert.equal(await lineSwitch.isChecked(), true);
  await until(page, () => document.getElementById('recipe-reason').textContent.includes('memorises'), null,
    'the memorising recipe');
  assert.deepEqual(await form(), { hold: '0', hidden: '256', seq: '16', reason: 'Train uses the settings for this ' +
    'text and time: Lines mode memorises the list: every line is training data, GRU 1×256, dropout 0.' });
  await page.getByRole('button', { name: 'Shakespeare', exact: true }).click();
  assert.equal(await lineSwitch.isChecked(), false);
  await until(page, () => document.getElementById('recipe-reason').textContent.includes('large text'), null,
    'the recipe for Shakespeare');
  const back = await form();
  assert.deepEqual([back.hold, back.hidden, back.seq], ['0.1', '192', '50']);
  assert.deepEqual(page.errors, []);
});

// Train for: the page trains a new model for a time budget (10 minutes unless the visitor picks
// another), shows the time left, and says which settings the text and the time got and why (the
// engine's recipe). Another budget while training goes on with the same model; when the time is
// up, training pauses and says so, and a longer budget with Resume goes on. A small text gets the
// small-text recipe; a setting the visitor changed is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { until, repoRoot } from './harness.mjs';
import {
  LONG, figures, waitForFigures, waitForIteration, waitForStatus, message, clickTrain, fillTrainingText,
  trainerPageFixture,
} from './trainer-helpers.mjs';

const { ready } = trainerPageFixture({ firstStep: true });

const budgetShown = (page) => page.evaluate(() => {
  const left = document.getElementById('fig-time-left');
  return { text: left.textContent, note: document.getElementById('fig-budget-note').textContent,
    minutes: Number(left.dataset.minutes), elapsed: Number(left.dataset.elapsedMinutes),
    left: Number(left.dataset.leftMinutes), spent: left.dataset.spent };
});
const session = (page) => page.evaluate(() => Number(document.getElementById('model-info').dataset.session));

test('the time left counts down, the settings say why, and another budget goes on with the same model', { timeout: LONG }, async () => {
  const { page } = await ready;
  assert.equal(await page.getByLabel('Train for').inputValue(), '10', 'ten minutes unless the visitor picks another');
  await waitForIteration(page, 3);
  const first = await budgetShown(page);
  assert.equal(first.minutes, 10);
  assert.equal(first.note, 'of 10 minutes');
  assert.match(first.text, /^\d+:\d\d$/);
  assert.ok(first.left < 10 && first.left > 5, `${first.left} minutes left`);
  assert.match(await page.textContent('#recipe-reason'), /A large text \(1\.1 M characters\): GRU 2×192, dropout 0\.05/);
  assert.equal(await page.inputValue('#hidden-size'), '192', 'the form shows what the recipe chose');
  const model = await session(page);
  const at = (await figures(page)).iteration;
  await page.getByLabel('Train for').selectOption('3');
  await until(page, () => document.getElementById('fig-time-left').dataset.minutes === '3', null, 'the 3-minute budget');
  assert.equal((await budgetShown(page)).note, 'of 3 minutes');
  await waitForFigures(page, (f) => f.iteration >= at + 3, `steps after iteration ${at}`);
  assert.equal(await session(page), model, 'the same model goes on');
  // An hour: the recipe for the next model is the larger one; this one goes on.
  await page.getByLabel('Train for').selectOption('60');
  await until(page, () => document.getElementById('recipe-reason').textContent.includes('a long run'), null,
    'the long-run recipe named');
  assert.equal(await session(page), model);
  assert.equal(await page.inputValue('#hidden-size'), '192', 'the model on show keeps its settings in the form');
});

test('when the time is up, training pauses and says so; a longer budget and Resume go on', { timeout: LONG }, async () => {
  const { page } = await ready;
  const { elapsed } = await budgetShown(page);
  await page.evaluate((m) => window.charrnnBudgetForTest(m), elapsed + 0.05); // 3 s from now
  await waitForStatus(page, 'paused');
  const note = await message(page, 'budget');
  assert.match(await note.textContent(), /The learning rate has come down to its floor.*choose a longer time in Train for/s);
  const shown = await budgetShown(page);
  assert.equal(shown.spent, 'true');
  assert.equal(shown.text, '0:00');
  const paused = (await figures(page)).iteration;
  // Resume with the time still up: it stays paused, and says why again.
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await message(page, 'budget');
  await waitForStatus(page, 'paused');
  assert.equal((await figures(page)).iteration, paused, 'no steps past the budget');
  await page.getByLabel('Train for').selectOption('10');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStatus(page, 'training');
  await waitForFigures(page, (f) => f.iteration >= paused + 2, 'steps on the longer budget');
  assert.equal(await page.locator('[data-message="budget"]').count(), 0, 'the message is done with');
});

test('a small text gets the small-text recipe, and a setting the visitor changed is kept', { timeout: LONG }, async () => {
  const { page } = await ready;
  const shakespeare = fs.readFileSync(path.join(repoRoot, 'examples', 'corpora', 'tinyshakespeare.txt'), 'utf8');
  await fillTrainingText(page, shakespeare.slice(0, 30000));
  await page.getByLabel('Learning rate', { exact: true }).fill('0.002');
  await page.getByLabel('Learning rate', { exact: true }).press('Enter');
  const before = await session(page);
  await clickTrain(page);
  await until(page, (n) => Number(document.getElementById('model-info').dataset.session) > n, before, 'a new model');
  await until(page, () => document.getElementById('recipe-reason').textContent.includes('small text'), null,
    'the small-text recipe');
  const reason = await page.textContent('#recipe-reason');
  assert.match(reason, /A small text \(30 k characters\)/);
  assert.match(reason, /The settings you changed are kept/);
  assert.ok(Number(await page.inputValue('#dropout')) >= 0.3, 'strong dropout');
  assert.notEqual(await page.inputValue('#hidden-size'), '192', 'a smaller model');
  assert.equal(await page.inputValue('#learning-rate'), '0.002', 'the visitor’s learning rate');
  await waitForIteration(page, 2);
});

// Train for on show: the time left of the budget under the chart (with the learning rate the
// schedule has reached), and a message when the time is up.
import { formatRate } from '../shared/format.js';
import { budgetLabel } from '../settings/budget.js';
import { testData } from '../page/test-hooks.js';
import { showMessage, closeMessage } from './messages.js';

/** "7:05" for minutes; "1:02:30" past an hour. */
export function formatDuration(minutes) {
  const total = Math.max(0, Math.round(minutes * 60));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Budget (web/shared/worker-protocol.js), or null without a model. */
export function showBudget(budget) {
  const left = document.getElementById('fig-time-left');
  const note = document.getElementById('fig-budget-note');
  testData(left, { minutes: budget?.minutes, elapsedMinutes: budget?.elapsedMinutes, leftMinutes: budget?.leftMinutes,
    spent: budget?.spent });
  if (!budget) {
    left.textContent = '–';
    note.textContent = '';
    return;
  }
  if (!Number.isFinite(budget.minutes)) {
    left.textContent = 'until you stop';
    note.textContent = `${formatDuration(budget.elapsedMinutes)} so far`;
  } else {
    left.textContent = formatDuration(budget.leftMinutes);
    note.textContent = `of ${budgetLabel(budget.minutes)}`;
  }
  if (budget.spent) {
    showMessage({ id: 'budget', kind: 'info', title: `Trained for ${budgetLabel(budget.minutes)}.`,
      text: 'The learning rate has come down to its floor, as planned for this time, and training has paused. ' +
        'To go on, choose a longer time in Train for (the model goes on from here) and press Resume.' });
  }
}

/** Train for changed: a message about the old budget's end is done with. */
export function budgetChanged() {
  closeMessage('budget');
}

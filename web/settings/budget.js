// Train for, the time budget: the choice in the toolbar (BUDGET in defaults.js), read as minutes
// (Infinity: until I stop). What it does is the worker's (web/worker/budget.js).
import { BUDGET } from './defaults.js';

const select = () => document.getElementById('train-for');

/** The budget chosen, in minutes (Infinity: until I stop). */
export const readBudget = () => Number(select().value);

/** The label of a budget of `minutes` ("10 minutes", "until I stop"). */
export const budgetLabel = (minutes) => BUDGET.choices.find((c) => c.minutes === minutes)?.label ?? `${minutes} minutes`;

/** Fills the choice; onChange(minutes) when the visitor picks another. */
export function initBudget({ onChange }) {
  const s = select();
  s.replaceChildren(...BUDGET.choices.map((c) => new Option(c.label, String(c.minutes))));
  s.value = String(BUDGET.defaultMinutes);
  s.addEventListener('change', () => onChange(readBudget()));
}

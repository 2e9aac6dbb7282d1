// Train for: the time budget of the model in training. The engine's learning-rate schedule
// follows it (core/training/schedule.h) on a clock that counts the time the model has spent
// training in this tab, validation and samples included, so that "10 minutes" are ten minutes of
// the visitor's watch; pauses do not count. The recipe (core/training/recipe.h) picks a new
// model's settings for its text and budget.
import { BUDGET } from '../settings/defaults.js';
import { REPORT } from '../shared/worker-protocol.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { inputError } from './crashes.js';
import { codePoints } from './text.js';

/** Budget (worker-protocol.js) of a trainer. */
export function budgetOf(trainer) {
  const { minutes, elapsedMinutes, leftMinutes, spent, peakLearningRate } = trainer.budget;
  return { minutes, elapsedMinutes, leftMinutes, spent, learningRate: trainer.learningRate, peakLearningRate };
}

/** A new, loaded or restored trainer takes the page's budget; its clock goes on from its checkpoint. */
export function applyBudget(session) {
  session.trainer.trainFor(state.budgetMinutes);
  session.clockMs = session.trainer.budget.elapsedMinutes * 60000;
}

/** CALL.setBudget: Train for, for this model (it goes on from its clock) and the next. */
export function setBudget(minutes) {
  // The test page (?test) may set any budget above 0, so that the browser tests see one end.
  const testBudget = state.testHooks && typeof minutes === 'number' && minutes > 0;
  if (!BUDGET.choices.some((c) => c.minutes === minutes) && !testBudget) {
    throw inputError(`Train for takes ${BUDGET.choices.map((c) => c.label).join(', ')}.`);
  }
  state.budgetMinutes = minutes;
  if (!state.session) return null;
  state.session.trainer.trainFor(minutes);
  const budget = budgetOf(state.session.trainer);
  emit(REPORT.budget, budget);
  return budget;
}

/** CALL.recipe: the settings for the staged text (its characters) in this mode and budget. */
export function recipe({ lines = false, minutes = state.budgetMinutes } = {}) {
  const { staged } = state;
  const chars = staged?.info?.chars ?? (staged?.bytes ? codePoints(staged.bytes) : 0); // as the CLI counts
  return state.engine.recipe(chars, { lines, minutes });
}

// Settings that follow the text and the time: the engine's recipe (core/training/recipe.h, the
// CLI's too) for the staged text, the lines mode and Train for. Asked for when one of them
// changes and before Train; the form's fields the visitor has not changed take its values while no
// model is on show (a model's own settings stay on show until Train), and the settings card says
// what was chosen and why. A new text writes them even with a model on show (the next Train is
// for that text); a change of Train for or of the lines mode only when none is.
import { CALL } from '../shared/worker-protocol.js';
import { readBudget } from '../settings/budget.js';
import { useRecipe } from '../settings/form.js';
import { $, page } from './state.js';
import { call } from './worker-life.js';

let asked = 0; // the latest request: an answer that comes after a later one (or after the form was set otherwise) is dropped

/** The recipe now (null before the engine has loaded); `writeForm`: the form takes it even with a model on show. */
export async function refreshRecipe({ writeForm = false } = {}) {
  if (!page.worker) return null;
  const mine = ++asked;
  const recipe = await call(CALL.recipe, { lines: $('lines-mode').checked, minutes: readBudget() });
  if (mine !== asked) return recipe;
  useRecipe(recipe, { writeForm: writeForm || !page.model });
  return recipe;
}

/** The form now shows something else (a refused Train put the model's settings back): pending answers are dropped. */
export function dropPendingRecipe() {
  asked++;
}

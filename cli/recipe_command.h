// `charrnn recipe`: what the recipe (core/training/recipe.h) picks for a text of a given size, with
// --lines and a time budget, and why: the settings `charrnn train` and the trainer page start from.
#pragma once
#include "options.h"

namespace charrnn_cli {

int run_recipe(const RecipeOptions& options);

}  // namespace charrnn_cli

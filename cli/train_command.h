// `charrnn train`: reads the text, builds a new Trainer with the recipe's settings for it (and the
// ones given) or resumes a checkpoint exactly, and hands it to TrainingRun. Returns the process
// exit status.
#pragma once
#include "options.h"

namespace charrnn_cli {

int run_train(const TrainOptions& options);

}  // namespace charrnn_cli

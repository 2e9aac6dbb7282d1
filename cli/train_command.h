// `charrnn train`: builds (or resumes) a Trainer from the core, runs the step loop with limits,
// evaluations, checkpoints, progress and Ctrl-C handling. Returns the process exit status.
#pragma once
#include "options.h"

namespace charrnn_cli {

int run_train(const TrainOptions& options);

}  // namespace charrnn_cli

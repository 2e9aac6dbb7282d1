// `charrnn inspect` and `charrnn neurons`: the page's "Inside the network" card on the command
// line. Both run the core's inspection (inspect.h) and ranking (neurons.h) over a text file.
#pragma once
#include "ngram_command.h"
#include "options.h"

namespace charrnn_cli {

int run_inspect(const InspectOptions& options, const VsNgramOptions& vs_ngram = {});
int run_neurons(const NeuronsOptions& options);

}  // namespace charrnn_cli

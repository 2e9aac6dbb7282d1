// `charrnn sample`: prints exactly the sampled text on stdout (nothing added), so a sample can be
// compared byte for byte with one from the WASM engine.
#pragma once
#include "options.h"

namespace charrnn_cli {

int run_sample(const SampleCommandOptions& options);

}  // namespace charrnn_cli

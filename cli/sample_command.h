// `charrnn sample`: prints the priming text (unless --no-echo-prime), the sampled text and one line
// break on stdout; without that last byte (and the prime) a sample is byte for byte the WASM
// engine's. With --lines N: N lines, one per line.
#pragma once
#include "options.h"

namespace charrnn_cli {

int run_sample(const SampleCommandOptions& options);

}  // namespace charrnn_cli

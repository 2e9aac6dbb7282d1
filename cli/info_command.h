// `charrnn info`: what a model file holds, for people (settings, vocabulary, size, checkpoint state).
#pragma once
#include "options.h"

namespace charrnn_cli {

int run_info(const InfoOptions& options);

}  // namespace charrnn_cli

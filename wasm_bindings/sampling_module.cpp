// The sampling-only module for the embeddable widget: no trainer, so it stays small.
#include <emscripten/bind.h>

#include "sampling_bindings.h"

EMSCRIPTEN_BINDINGS(charrnn_sampling) { charrnn_bindings::register_sampling(); }

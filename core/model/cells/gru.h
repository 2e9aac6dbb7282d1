// The GRU cell (Cho et al. 2014, with the reset gate applied after the recurrent product, as
// cuDNN and PyTorch do): see gru.cpp.
#pragma once
#include "model/cells.h"

namespace charrnn::cells {
extern const Cell kGru;
}

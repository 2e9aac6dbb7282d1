// The vanilla (Elman) RNN cell with tanh: see rnn.cpp.
#pragma once
#include "model/cells.h"

namespace charrnn::cells {
extern const Cell kRnn;
}

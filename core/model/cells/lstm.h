// The LSTM cell (Hochreiter & Schmidhuber; gate layout as in char-rnn): see lstm.cpp.
#pragma once
#include "model/cells.h"

namespace charrnn::cells {
extern const Cell kLstm;
}

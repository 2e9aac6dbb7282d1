// Where each tensor lives inside the one flat parameter buffer (and, at the same offsets, inside
// the gradient buffer and each optimiser moment buffer). The order is the model file's order.
//
//   embedding        [V, E]
//   layer{l}.wx      [I, G*H]   H = H_l (ModelConfig::hidden(l)); I = E for layer 0, H_{l-1} above
//   layer{l}.wh      [H, G*H]
//   layer{l}.b       [G*H]
//   layer{l}.bhn     [H]        GRU only: the hidden bias inside the reset gate's product
//   output.w         [H, V]     H = H_{L-1}, the top layer's
//   output.b         [V]
//
// Gate blocks inside G*H: LSTM (i, f, o, g); GRU (r, z, n); RNN (h).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "model/config.h"

namespace charrnn {

struct TensorSlot {
  std::string name;
  std::vector<int> shape;
  size_t offset = 0;  // in floats, into the flat buffer
  size_t size = 0;  // in floats
  bool is_bias = false;  // biases take no L2 decay
  int fan_in_hidden = 0;  // H of the layer it belongs to (the top layer's for output.*); 0 for the embedding
};

struct LayerSlots {
  size_t wx = 0, wh = 0, b = 0, bhn = 0;  // bhn: only for cells that have it (Cell::has_bhn)
};

struct ParamLayout {
  std::vector<TensorSlot> tensors;
  std::vector<LayerSlots> layers;
  size_t embedding = 0, output_w = 0, output_b = 0;
  size_t total = 0;  // floats
};

ParamLayout make_layout(const ModelConfig& config);
// In double: a hostile or absurd configuration must not overflow WASM's 32-bit size_t.
double count_parameters(const ModelConfig& config);

}  // namespace charrnn

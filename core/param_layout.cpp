#include "param_layout.h"

#include "cells.h"

namespace charrnn {

ParamLayout make_layout(const ModelConfig& c) {
  ParamLayout p;
  const Cell& cell = cell_of(c.cell);
  const int G = cell.gates, H = c.hidden_size, V = c.vocab_size, E = c.embed_size;
  auto add = [&p](std::string name, std::vector<int> shape, bool is_bias) {
    TensorSlot t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.size = 1;
    for (int d : t.shape) t.size *= static_cast<size_t>(d);
    t.offset = p.total;
    t.is_bias = is_bias;
    p.total += t.size;
    p.tensors.push_back(t);
    return t.offset;
  };
  p.embedding = add("embedding", {V, E}, false);
  for (int l = 0; l < c.layers; l++) {
    LayerSlots s;
    const std::string prefix = "layer" + std::to_string(l) + ".";
    s.wx = add(prefix + "wx", {l == 0 ? E : H, G * H}, false);
    s.wh = add(prefix + "wh", {H, G * H}, false);
    s.b = add(prefix + "b", {G * H}, true);
    if (cell.has_bhn) s.bhn = add(prefix + "bhn", {H}, true);
    p.layers.push_back(s);
  }
  p.output_w = add("output.w", {H, V}, false);
  p.output_b = add("output.b", {V}, true);
  return p;
}

double count_parameters(const ModelConfig& c) {
  const Cell& cell = cell_of(c.cell);
  const double G = cell.gates, H = c.hidden_size, V = c.vocab_size, E = c.embed_size;
  double n = V * E + H * V + V;
  for (int l = 0; l < c.layers; l++) {
    const double I = l == 0 ? E : H;
    n += I * G * H + H * G * H + G * H + (cell.has_bhn ? H : 0);
  }
  return n;
}

}  // namespace charrnn

#include "model/param_layout.h"

#include "model/cells.h"

namespace charrnn {

ParamLayout make_layout(const ModelConfig& c) {
  ParamLayout p;
  const Cell& cell = cell_of(c.cell);
  const int G = cell.gates, V = c.vocab_size, E = c.embed_size;
  auto add = [&p](std::string name, std::vector<int> shape, bool is_bias, int hidden) {
    TensorSlot t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.size = 1;
    for (int d : t.shape) t.size *= static_cast<size_t>(d);
    t.offset = p.total;
    t.is_bias = is_bias;
    t.fan_in_hidden = hidden;
    p.total += t.size;
    p.tensors.push_back(t);
    return t.offset;
  };
  p.embedding = add("embedding", {V, E}, false, 0);
  for (int l = 0; l < c.layers; l++) {
    LayerSlots s;
    const std::string prefix = "layer" + std::to_string(l) + ".";
    const int H = c.hidden(l), I = l == 0 ? E : c.hidden(l - 1);
    s.wx = add(prefix + "wx", {I, G * H}, false, H);
    s.wh = add(prefix + "wh", {H, G * H}, false, H);
    s.b = add(prefix + "b", {G * H}, true, H);
    if (cell.has_bhn) s.bhn = add(prefix + "bhn", {H}, true, H);
    p.layers.push_back(s);
  }
  const int H_top = c.top_hidden();
  p.output_w = add("output.w", {H_top, V}, false, H_top);
  p.output_b = add("output.b", {V}, true, H_top);
  return p;
}

double count_parameters(const ModelConfig& c) {
  const Cell& cell = cell_of(c.cell);
  const double G = cell.gates, V = c.vocab_size, E = c.embed_size;
  double n = V * E + static_cast<double>(c.top_hidden()) * V + V;
  for (int l = 0; l < c.layers; l++) {
    const double H = c.hidden(l), I = l == 0 ? E : c.hidden(l - 1);
    n += I * G * H + H * G * H + G * H + (cell.has_bhn ? H : 0);
  }
  return n;
}

}  // namespace charrnn

#include "inspection/gates.h"

#include "errors.h"

namespace charrnn {

GateSaturation gate_saturation(const Model& model, const Inspection& in) {
  if (in.gates_per_layer == 0)
    throw Error("This inspection kept no gate values: inspect with keep_gates, with an LSTM or a GRU model.");
  const int L = in.layers, S = in.gates_per_layer, H = in.hidden, N = in.chars;
  GateSaturation out;
  out.layers = L, out.gates = S, out.hidden = H, out.layer_hidden = in.layer_hidden;
  for (int g = 0; g < S; g++) out.gate_names.emplace_back(model.cell().gate_names[g]);
  out.left.assign(static_cast<size_t>(L) * S * H, 0.0f);
  out.right.assign(static_cast<size_t>(L) * S * H, 0.0f);
  for (int i = 0; i < N; i++) out.chars += in.ids[static_cast<size_t>(i)] >= 0;
  if (out.chars == 0) return out;
  std::vector<int64_t> left(static_cast<size_t>(H)), right(static_cast<size_t>(H));
  for (int l = 0; l < L; l++)
    for (int g = 0; g < S; g++) {
      std::fill(left.begin(), left.end(), 0), std::fill(right.begin(), right.end(), 0);
      const size_t block = static_cast<size_t>(l) * S + g;
      const float* values = in.gates.data() + block * N * H;  // [N, H] this gate of this layer
      for (int i = 0; i < N; i++) {
        if (in.ids[static_cast<size_t>(i)] < 0) continue;  // not read: its gates are the previous step's
        const float* row = values + static_cast<size_t>(i) * H;
        for (int j = 0; j < in.layer_hidden[static_cast<size_t>(l)]; j++) {
          left[static_cast<size_t>(j)] += row[j] < kGateLeftSaturated;
          right[static_cast<size_t>(j)] += row[j] > kGateRightSaturated;
        }
      }
      const double n = static_cast<double>(out.chars);
      for (int j = 0; j < in.layer_hidden[static_cast<size_t>(l)]; j++) {
        out.left[block * H + j] = static_cast<float>(static_cast<double>(left[static_cast<size_t>(j)]) / n);
        out.right[block * H + j] = static_cast<float>(static_cast<double>(right[static_cast<size_t>(j)]) / n);
      }
    }
  return out;
}

GateSaturation gate_saturation(const Model& model, const std::string& utf8_text) {
  InspectOptions options;
  options.top_k = 1;
  options.keep_gates = true;
  return gate_saturation(model, inspect_text(model, utf8_text, options));
}

}  // namespace charrnn

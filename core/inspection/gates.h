// Gate saturation ("Visualizing and Understanding Recurrent Networks", Karpathy, Johnson,
// Fei-Fei 2015, section 4.2): how often each gate of each unit is nearly shut or nearly open
// over a text. A gate is left-saturated at a character when its value is below 0.1, right-saturated
// when above 0.9. The gate values are the inspection's (inspect.h, keep_gates): the values the one
// forward pass left in its activations, nothing computed a second time.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "inspection/inspect.h"

namespace charrnn {

constexpr float kGateLeftSaturated = 0.1f, kGateRightSaturated = 0.9f;

// Shapes: L layers, S gates per layer, H the widest layer's units (as Inspection: units H_l..H-1
// of a narrower layer are zeros that belong to no unit).
struct GateSaturation {
  int layers = 0, gates = 0, hidden = 0;  // L, S, H
  std::vector<int> layer_hidden;  // [L] H_l
  std::vector<std::string> gate_names;  // [S] "input", "forget", "output" (LSTM); "reset", "update" (GRU)
  int64_t chars = 0;  // characters the network read (those in its vocabulary)
  std::vector<float> left, right;  // [L, S, H] the fraction of those characters at which the gate is saturated
};

// From an inspection made with keep_gates; throws charrnn::Error without gate values.
GateSaturation gate_saturation(const Model& model, const Inspection& inspection);

// Inspects the text (keep_gates) and counts: the one call the CLI and the page make.
GateSaturation gate_saturation(const Model& model, const std::string& utf8_text);

}  // namespace charrnn

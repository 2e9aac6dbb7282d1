// Looking inside a model (the blog's "visualizing the predictions and the neuron firings"): a text
// run through the model's one forward pass (model_forward, B = 1) from the sampler's start context
// (a zero state, then a line break when the vocabulary has one), keeping per character what
// training discards: the top-k next-character guesses, the probability given to the character that
// came, and every unit's activation in every layer.
//
// Shapes: N = characters (code points) of the text, K = top_k, L = layers, H = the widest layer's
// hidden size (every layer's with uniform sizes). With per-layer sizes layer l has H_l <= H units:
// its rows keep the stride H, and units H_l..H-1 are zeros that belong to no neuron.
// Characters outside the model's vocabulary are not fed to the network: their id is -1, the state
// and the guesses stay those after the previous character, and the probability the model gave
// them is 0. Inference only, in chunks that carry the state, so memory is bounded by the outputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace charrnn {

struct InspectOptions {
  int top_k = 5;  // 1..V
  bool keep_gates = false;  // also keep the gate values (Inspection::gates): LSTM and GRU
};

// The most characters one call takes, and the most activation floats it may return (N * L * H,
// twice that with a cell state, S more times that with the gates): about 64 MiB.
constexpr int kMaxInspectChars = 20000;
constexpr double kMaxInspectActivations = 16.0 * 1024 * 1024;

struct Inspection {
  int chars = 0, top_k = 0, layers = 0, hidden = 0;  // N, K, L, H
  std::vector<int> layer_hidden;  // [L] H_l, layer l's own units (each <= H)
  bool has_cell_state = false;
  std::vector<char32_t> text;  // [N] the characters
  std::vector<int32_t> ids;  // [N] vocabulary ids; -1 outside the vocabulary
  std::vector<int32_t> top_ids;  // [N, K] the K likeliest characters after character i, likeliest first
  std::vector<float> top_probs;  // [N, K] their probabilities
  std::vector<float> p_actual;  // [N] the probability given to character i before it came (NaN for
                                // the first when the vocabulary has no line break to start from)
  std::vector<float> h;  // [L, N, H] hidden state after character i
  std::vector<float> c;  // [L, N, H] tanh(cell state) after character i (cells with a cell state)
  // With InspectOptions::keep_gates: the cell's sigmoid gates (Cell::sigmoid_gates, S of them,
  // named by Cell::gate_names) at the step that read character i, as the forward pass left them
  // in its activations. Zeros before the first step.
  int gates_per_layer = 0;  // S (0 without keep_gates)
  std::vector<float> gates;  // [L, S, N, H]
};

// Throws charrnn::Error for an empty or too long text, invalid UTF-8 or a bad top_k.
Inspection inspect_text(const Model& model, const std::string& utf8_text, const InspectOptions& options = {});

}  // namespace charrnn

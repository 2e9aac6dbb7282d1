// The whole network: embedding -> L recurrent layers -> linear -> softmax, with its parameters in
// one flat buffer (see param_layout.h), and the forward/backward pass over a batch [B, T].
#pragma once
#include <cstdint>
#include <vector>

#include "cells.h"
#include "config.h"
#include "param_layout.h"
#include "rng.h"
#include "vocab.h"

namespace charrnn {

struct Model {
  ModelConfig config;
  Vocab vocab;
  ParamLayout layout;
  std::vector<float> params;  // layout.total floats

  // A freshly initialised model: uniform(-1/sqrt(H), 1/sqrt(H)) weights as in PyTorch,
  // LSTM forget-gate bias 1, uniform(-1, 1) embedding. Seeded: same seed, same model.
  static Model create(const ModelConfig& config, const Vocab& vocab, uint64_t seed);

  LayerWeights layer_weights(int l) const;
  const float* embedding() const { return params.data() + layout.embedding; }
  const float* output_w() const { return params.data() + layout.output_w; }
  const float* output_b() const { return params.data() + layout.output_b; }
};

// The hidden state carried between batches (char-rnn's scheme) or between sampling steps.
struct RecurrentState {
  int B = 0, H = 0, layers = 0;
  std::vector<std::vector<float>> h, c;  // per layer [B, H]; c is used by LSTM only
  void resize(int layers, int B, int H);
  void zero();
};

// Buffers for one forward/backward over up to B streams of up to T steps, allocated once.
struct Activations {
  int B = 0, T = 0;
  std::vector<float> embedded;  // [T*B, E]
  struct Layer {
    std::vector<float> x_dropped;  // [T*B, I]   only with dropout, layers > 0
    std::vector<float> mask;  // [T*B, I]   dropout keep-mask scaled by 1/(1-p)
    std::vector<float> hs, cs;  // [(T+1)*B, H]
    std::vector<float> gates;  // [T*B, G*H]
    std::vector<float> aux;  // [T*B, H]
    std::vector<float> scratch;  // [B, G*H]
    std::vector<float> wh_packed;  // [recurrent_pack_floats(cell, H)]
  };
  std::vector<Layer> layers;
  std::vector<float> top_dropped, top_mask;  // [T*B, H] only with dropout
  std::vector<float> logits;  // [T*B, V] logits, then probabilities, then their gradient
  // backward scratch
  std::vector<float> dh_a, dh_b;  // [T*B, max(H, E)]
  std::vector<float> dpre, dpre_h;  // [T*B, G*H]
  bool dropout_active = false;  // set by the last forward: whether masks were applied

  void allocate(const ModelConfig& config, int B, int T);
};

// Forward over inputs/targets [T*B] (time-major: row t*B + b). The state's h/c seed the first step.
// dropout_rng: non-null applies dropout (training); null is evaluation.
// Returns the summed cross-entropy in nats over the T*B predictions.
double model_forward(const Model& model, Activations& acts, const RecurrentState& state, const int32_t* inputs,
                     const int32_t* targets, int B, int T, Rng* dropout_rng);

// Backward of the mean loss (sum / (T*B)): accumulates into grads (same layout as params).
void model_backward(const Model& model, Activations& acts, const int32_t* inputs, const int32_t* targets, int B,
                    int T, float* grads);

// Copies the last step's hidden (and cell) state out of the activations.
void read_final_state(const Model& model, const Activations& acts, int B, int T, RecurrentState& state);

}  // namespace charrnn

// The whole network: embedding -> L recurrent layers -> linear -> softmax, with its parameters in
// one flat buffer (see param_layout.h), and the forward/backward pass over a batch [B, T].
#pragma once
#include <cstdint>
#include <vector>

#include "model/cells.h"
#include "model/config.h"
#include "model/param_layout.h"
#include "numerics/rng.h"
#include "text/vocab.h"

namespace charrnn {

struct Model {
  ModelConfig config;
  Vocab vocab;
  ParamLayout layout;
  std::vector<float> params;  // layout.total floats
  // Trained on whole lines (TrainConfig::lines): its samples are lines (line_sampler.h). Stored
  // in the model file's metadata.
  bool lines = false;

  // A freshly initialised model: uniform(-1/sqrt(H), 1/sqrt(H)) weights as in PyTorch (H of the
  // layer they belong to; the output layer's is the top layer's),
  // LSTM forget-gate bias 1, uniform(-1, 1) embedding. Seeded: same seed, same model.
  static Model create(const ModelConfig& config, const Vocab& vocab, uint64_t seed);

  const Cell& cell() const { return cell_of(config.cell); }
  LayerWeights layer_weights(int l) const;
  const float* embedding() const { return params.data() + layout.embedding; }
  const float* output_w() const { return params.data() + layout.output_w; }
  const float* output_b() const { return params.data() + layout.output_b; }
};

// The hidden state carried between batches (char-rnn's scheme) or between sampling steps.
struct RecurrentState {
  int B = 0, layers = 0;
  std::vector<int> H;  // per layer, H_l
  std::vector<std::vector<float>> h, c;  // per layer [B, H_l]; c only for cells with a cell state (LSTM)
  void resize(const ModelConfig& config, int B);
  void zero();
};

// Buffers for one forward (and, for training, backward) pass over up to B streams of up to T
// steps, allocated once. H below is each layer's own H_l; H_top the top layer's. Training, evaluation, sampling (B = T = 1) and inspection (B = 1) all run
// model_forward over these; only training allocates the backward buffers.
struct Activations {
  enum class Use { Training, Inference };
  int B = 0, T = 0;
  Use use = Use::Inference;
  std::vector<float> embedded;  // [T*B, E]
  struct Layer {
    std::vector<float> x_dropped;  // [T*B, I]   training with dropout, layers > 0
    std::vector<float> mask;  // [T*B, I]   dropout keep-mask scaled by 1/(1-p)
    std::vector<float> hs, cs;  // [(T+1)*B, H] row block 0 is the carried-in state; cs only with a cell state
    std::vector<float> gates;  // [T*B, G*H]
    std::vector<float> cache;  // [Cell::cache_floats(T, B, H)]
    std::vector<float> wh_packed;  // [recurrent_pack_floats(cell, H, B)]
  };
  std::vector<Layer> layers;
  std::vector<float> top_dropped, top_mask;  // [T*B, H_top] training with dropout
  std::vector<float> logits;  // [T*B, V] logits; with targets, probabilities, then their gradient
  // Backward only (Use::Training), shared by the layers: sized for the widest layer.
  std::vector<float> dh_a, dh_b;  // [T*B, max(max_l H_l, E)]
  std::vector<float> dgates;  // [T*B, G*max_l H_l]
  std::vector<float> cell_scratch;  // [max_l Cell::backward_scratch_floats(T, B, H_l)]
  bool dropout_active = false;  // set by the last forward: whether masks were applied

  void allocate(const ModelConfig& config, int B, int T, Use use = Use::Training);
};

// The one forward pass. inputs [T*B] (time-major: row t*B + b); the state's h/c seed the first step
// (it is not changed: read_final_state copies the last step out). B and T at most what acts holds.
// targets [T*B]: acts.logits become probabilities and the summed cross-entropy in nats over the
// T*B predictions is returned; null: acts.logits stay logits (sampling applies its temperature)
// and 0 is returned. dropout_rngs: B generators, one per stream (row t*B + b draws from the b-th),
// apply dropout (training); null is evaluation.
double model_forward(const Model& model, Activations& acts, const RecurrentState& state, const int32_t* inputs,
                     const int32_t* targets, int B, int T, Rng* dropout_rngs);

// Backward of loss_sum * loss_scale after a forward with targets over the same acts: accumulates
// into grads (same layout as params). loss_scale is 1/(T*B) for the mean over these streams, or
// 1/(T*B_total) when they are one shard of a larger batch. Needs acts allocated for Use::Training.
// d_embedded [T*B, E] (may be null): receives d loss / d the embedded inputs, per position, before
// they are summed into the embedding table's rows (reach.h reads how far back a loss reaches).
void model_backward(const Model& model, Activations& acts, const int32_t* inputs, const int32_t* targets, int B,
                    int T, float* grads, float loss_scale, float* d_embedded = nullptr);

// Copies the last step's hidden (and cell) state out of the activations.
void read_final_state(const Model& model, const Activations& acts, int B, int T, RecurrentState& state);

}  // namespace charrnn

// A shard of a training step: a contiguous range of the batch's B streams with everything a
// forward and backward pass over them needs of its own (activations, carried state, gradient
// buffer), so shards can run at the same time. No threads in here: whoever drives the trainer
// (a std::thread pool in the CLI, helper workers in a browser tab, one thread otherwise) runs
// them; the trainer sums their gradients in shard order and applies one update.
//
// A shard can also run in another process with its own copy of the model (a ShardReplica in a
// browser's helper worker): what crosses over is its inputs and targets, its carried state and its
// streams' generators packed flat (state_flat, rng_flat), and back its gradient, loss, final state
// and generators. Nothing else of the trainer is needed there.
//
// Shapes: T = time steps, Bs = this shard's streams, B = the whole batch's, H = layer l's hidden
// size H_l, P = params.
#pragma once
#include <cstdint>
#include <vector>

#include "model/model.h"
#include "numerics/rng.h"

namespace charrnn {

struct Shard {
  int first = 0, count = 0;  // streams [first, first + count) of the batch
  Activations acts;  // training, [T*Bs]
  RecurrentState state;  // carried into this step, [Bs, H] per layer
  RecurrentState next_state;  // this step's final state, carried on once the step is applied
  RecurrentState eval_state;  // evaluation's own, [Bs, H] per layer (its streams run in these buffers too)
  std::vector<int32_t> inputs, targets;  // [T*Bs] time-major
  std::vector<float> grads;  // [P] this shard's share of the batch-mean loss's gradient
  double loss_sum = 0.0;  // summed nats over its T*Bs predictions
  // A replica's exchange: [layers][h, then c for a cell with a cell state][Bs*H_l], and [Bs][4] words.
  std::vector<float> state_flat;
  std::vector<uint32_t> rng_flat;

  void allocate(const ModelConfig& config, int first, int count, int T, size_t n_params);

  // Takes its streams' columns of the batch [T*B] into inputs and targets.
  void gather(const int32_t* batch_inputs, const int32_t* batch_targets, int B, int T);
  // Forward over inputs/targets from `state` with its streams' own dropout generators
  // (rngs[0..count)), the final state into next_state, and, when the loss is finite, backward of
  // the whole batch's mean loss (scale 1/(T*B)) into grads (zeroed first).
  void compute(const Model& model, int B, int T, Rng* rngs);
  // gather() then compute() with the batch's generators (stream_rngs[first..first+count)).
  void run(const Model& model, const int32_t* batch_inputs, const int32_t* batch_targets, int B, int T,
           Rng* stream_rngs);

  // The replica exchange, on either side: state (or next_state) <-> state_flat, generators <-> rng_flat.
  void pack_state(const RecurrentState& from, bool has_cell_state);
  void unpack_state(RecurrentState& to, bool has_cell_state) const;
  void pack_rngs(const Rng* rngs);
  void unpack_rngs(Rng* rngs) const;
};

// Splits B streams into `shards` contiguous ranges whose sizes differ by at most one.
int shard_first_stream(int B, int shards, int s);

}  // namespace charrnn

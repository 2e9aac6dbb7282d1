// A shard run away from its trainer: a helper worker in a browser tab holds one of these, with its
// own copy of the model (one WASM instance per worker: no shared memory is needed, so it works on
// any static host). Per step it gets the trainer's weights and the shard's exchange buffers
// (Trainer::export_shard), runs forward and backward, and gives back the gradient, the loss, the
// final state and the streams' generators (Trainer::import_shard). It keeps nothing between steps
// but its buffers, so the trainer stays the one place a run's state lives (checkpoints, rollback).
//
// Shapes: T = time steps, Bs = the shard's streams, B = the whole batch's, P = params.
#pragma once
#include <vector>

#include "model/model.h"
#include "numerics/rng.h"
#include "training/shard.h"

namespace charrnn {

class ShardReplica {
 public:
  // model: the trainer's (from its saved file: config and vocabulary; weights come per step).
  // B and T are the trainer's batch size and sequence length, count this shard's streams.
  ShardReplica(Model model, int B, int T, int count);

  // In, before run(): weights() [P], shard().inputs/targets [T*Bs], state_flat, rng_flat.
  // Out, after: shard().grads [P], loss (NaN: skip this step), state_flat (final), rng_flat.
  std::vector<float>& weights() { return model_.params; }
  Shard& shard() { return shard_; }
  double run();

 private:
  Model model_;
  int B_, T_;
  Shard shard_;
  std::vector<Rng> rngs_;  // [Bs] the streams' dropout generators, as the trainer sent them
};

}  // namespace charrnn

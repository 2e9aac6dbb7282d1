// A shard of a training step: a contiguous range of the batch's B streams with everything a
// forward and backward pass over them needs of its own (activations, carried state, gradient
// buffer), so shards can run at the same time. No threads in here: whoever drives the trainer
// (a std::thread pool in the CLI, one thread in a browser tab) runs them; the trainer sums their
// gradients in shard order and applies one update.
//
// Shapes: T = time steps, Bs = this shard's streams, B = the whole batch's.
#pragma once
#include <cstdint>
#include <vector>

#include "model.h"
#include "rng.h"

namespace charrnn {

struct Shard {
  int first = 0, count = 0;  // streams [first, first + count) of the batch
  Activations acts;  // training, [T*Bs]
  RecurrentState state;  // carried, [Bs, H] per layer
  RecurrentState eval_state;  // evaluation's own, [Bs, H] per layer (its streams run in these buffers too)
  std::vector<int32_t> inputs, targets;  // [T*Bs] time-major
  std::vector<float> grads;  // [params] this shard's share of the batch-mean loss's gradient
  double loss_sum = 0.0;  // summed nats over its T*Bs predictions

  void allocate(const ModelConfig& config, int first, int count, int T, size_t n_params);

  // Takes its streams' columns of the batch [T*B], runs forward with the streams' own dropout
  // generators (stream_rngs[first..first+count)), and, when the loss is finite, backward of the
  // whole batch's mean loss (scale 1/(T*B)) into grads (zeroed first).
  void run(const Model& model, const int32_t* batch_inputs, const int32_t* batch_targets, int B, int T,
           Rng* stream_rngs);
};

// Splits B streams into `shards` contiguous ranges whose sizes differ by at most one.
int shard_first_stream(int B, int shards, int s);

}  // namespace charrnn

#include "training/shard_replica.h"

#include <cmath>

#include "errors.h"

namespace charrnn {

ShardReplica::ShardReplica(Model model, int B, int T, int count) : model_(std::move(model)), B_(B), T_(T) {
  if (B < 1 || T < 1 || count < 1 || count > B)
    throw Error("A shard needs 1 to " + std::to_string(B) + " streams of a batch of " + std::to_string(B) + ".");
  shard_.allocate(model_.config, 0, count, T, model_.params.size());
  rngs_.resize(static_cast<size_t>(count));
}

double ShardReplica::run() {
  const bool has_c = model_.cell().has_cell_state;
  shard_.unpack_state(shard_.state, has_c);
  shard_.unpack_rngs(rngs_.data());
  shard_.compute(model_, B_, T_, rngs_.data());
  if (std::isfinite(shard_.loss_sum)) shard_.pack_state(shard_.next_state, has_c);
  shard_.pack_rngs(rngs_.data());
  return shard_.loss_sum;
}

}  // namespace charrnn

// Steps whose shards 1.. run in ShardReplicas, as a browser's helper workers run them: each
// replica sees the model only as its saved file plus the weights sent each step, and is fed only
// through the exchange buffers. Shared by the tests that compare such steps with local shards.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "files/model_file.h"
#include "training/shard_replica.h"
#include "test_helpers.h"
#include "training/trainer.h"

namespace charrnn::test {

// One replica per shard of t (shard 0's is unused: that shard runs here), each holding its
// shard's streams.
inline std::vector<std::unique_ptr<ShardReplica>> make_replicas(const Trainer& t) {
  const std::string file = save_model(t.model(), nullptr, {});
  std::vector<std::unique_ptr<ShardReplica>> replicas;
  for (int s = 0; s < t.shards(); s++) {
    const int B = t.config().batch_size;
    const int count = shard_first_stream(B, t.shards(), s + 1) - shard_first_stream(B, t.shards(), s);
    replicas.push_back(std::make_unique<ShardReplica>(load_bytes(file).model, B, t.config().seq_len, count));
  }
  return replicas;
}

// One step with shards 1.. in replicas (copying through the exchange buffers only), shard 0 here.
inline StepResult replica_step(Trainer& t, std::vector<std::unique_ptr<ShardReplica>>& replicas) {
  t.begin_step();
  for (int s = 1; s < t.shards(); s++) {
    Shard& sent = t.export_shard(s);
    ShardReplica& r = *replicas[static_cast<size_t>(s)];
    r.weights() = t.weights();
    r.shard().inputs = sent.inputs;
    r.shard().targets = sent.targets;
    r.shard().state_flat = sent.state_flat;
    r.shard().rng_flat = sent.rng_flat;
    const double loss = r.run();
    sent.grads = r.shard().grads;
    sent.state_flat = r.shard().state_flat;
    sent.rng_flat = r.shard().rng_flat;
    t.import_shard(s, loss);
  }
  t.run_shard(0);
  return t.finish_step();
}

}  // namespace charrnn::test

// A step whose shards run in replicas (as a browser's helper workers run them, each with its own
// copy of the model fed only through the exchange buffers) trains exactly the model step() does,
// and a checkpoint taken between such steps resumes bit for bit.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "files/model_file.h"
#include "replica_steps.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

TrainConfig five_streams() {
  TrainConfig tc = test::small_train_config();
  tc.batch_size = 5;  // uneven shards
  return tc;
}

// hidden_sizes: one per layer (the exchange buffers then hold layers of different widths), or empty.
std::unique_ptr<Trainer> make_trainer(CellType cell, int shards, std::vector<int> hidden_sizes = {}) {
  const TrainConfig tc = five_streams();
  ModelConfig mc = test::small_model_config(cell, 2, 0.25f);  // dropout: the generators must travel
  mc.hidden_sizes = std::move(hidden_sizes);
  return std::make_unique<Trainer>(create_model_for_text(test::small_text(), mc, tc), tc, test::small_text(),
                                   Parallelism{shards, {}});
}

using test::make_replicas;
using test::replica_step;

class ShardReplicas : public ::testing::TestWithParam<CellType> {};

void expect_replicas_train_like_local_shards(CellType cell, const std::vector<int>& hidden_sizes) {
  for (int shards : {2, 3}) {
    SCOPED_TRACE(std::to_string(shards) + " shards");
    auto local = make_trainer(cell, shards, hidden_sizes), remote = make_trainer(cell, shards, hidden_sizes);
    auto replicas = make_replicas(*remote);
    for (int step = 0; step < 12; step++) {  // past an epoch boundary of the small text
      const StepResult a = local->step(), b = replica_step(*remote, replicas);
      ASSERT_EQ(a.loss, b.loss) << "step " << step;
      ASSERT_EQ(a.grad_norm, b.grad_norm) << "step " << step;
      ASSERT_EQ(a.epoch_start, b.epoch_start);
    }
    EXPECT_TRUE(test::bit_identical(local->model().params, remote->model().params));
    EXPECT_EQ(local->evaluate(), remote->evaluate());
    // The checkpoint (carried state, generators) is the same too: it resumes the same run.
    const std::string a = save_model(local->model(), local.get(), {true, false});
    const std::string b = save_model(remote->model(), remote.get(), {true, false});
    EXPECT_EQ(a, b);
  }
}

TEST_P(ShardReplicas, TrainExactlyTheModelOfLocalShards) { expect_replicas_train_like_local_shards(GetParam(), {}); }

TEST_P(ShardReplicas, TrainExactlyTheModelOfLocalShardsWithPerLayerHiddenSizes) {
  expect_replicas_train_like_local_shards(GetParam(), {12, 6});
}

TEST_P(ShardReplicas, ASkippedStepIsSkippedTheSameWayAndNothingElseRunsMidStep) {
  auto local = make_trainer(GetParam(), 2), remote = make_trainer(GetParam(), 2);
  auto replicas = make_replicas(*remote);
  for (int step = 0; step < 2; step++) ASSERT_EQ(local->step().loss, replica_step(*remote, replicas).loss);
  // A poisoned weight: every shard's loss is NaN, the step is skipped, nothing changes but the data
  // position (and the generators, which drew their dropout masks): the same on both sides.
  test::live_weight(*local, "output.b", 0) = std::nanf("");
  test::live_weight(*remote, "output.b", 0) = std::nanf("");
  const StepResult a = local->step(), b = replica_step(*remote, replicas);
  EXPECT_TRUE(a.skipped);
  EXPECT_TRUE(b.skipped);
  local->roll_back();
  remote->roll_back();
  for (int step = 0; step < 3; step++) ASSERT_EQ(local->step().loss, replica_step(*remote, replicas).loss);
  EXPECT_TRUE(test::bit_identical(local->model().params, remote->model().params));

  // Between begin_step() and finish_step() the shards' buffers belong to the step.
  remote->begin_step();
  for (const auto& refused : std::vector<std::function<void()>>{
           [&] { remote->evaluate(); }, [&] { remote->mark_good(1.0); }, [&] { remote->resumable(); },
           [&] { remote->set_text(test::small_text()); }})
    EXPECT_THAT(test::error_message(refused), test::HasSubstr("in the middle of a training step"));
  remote->run_shard(0);
  remote->run_shard(1);
  EXPECT_FALSE(remote->finish_step().skipped);
}

TEST_P(ShardReplicas, AStepMustBeBegunBeforeItIsFinishedAndNotTwice) {
  auto t = make_trainer(GetParam(), 2);
  EXPECT_THAT(test::error_message([&] { t->finish_step(); }), test::HasSubstr("begin one first"));
  t->begin_step();
  EXPECT_THAT(test::error_message([&] { t->begin_step(); }), test::HasSubstr("already under way"));
  t->run_shard(0);
  t->run_shard(1);
  EXPECT_FALSE(t->finish_step().skipped);
  // A rollback drops a step under way with everything after the point.
  t->begin_step();
  t->roll_back();
  EXPECT_EQ(t->iteration(), 0);
  t->begin_step();
  t->run_shard(0);
  t->run_shard(1);
  EXPECT_FALSE(t->finish_step().skipped);
}

TEST(ShardReplica, RefusesAShardLargerThanTheBatch) {
  const TrainConfig tc = five_streams();
  const Model m = create_model_for_text(test::small_text(), test::small_model_config(CellType::LSTM), tc);
  EXPECT_THAT(test::error_message([&] { ShardReplica r(m, 5, 10, 6); }), test::HasSubstr("1 to 5 streams"));
}

INSTANTIATE_TEST_SUITE_P(Cells, ShardReplicas, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

}  // namespace
}  // namespace charrnn

// Data parallelism: a batch split into shards (run on real threads by the CLI's pool) trains the
// same model as one shard up to the order floats are summed; the same shard count is exactly
// reproducible; a checkpoint resumes bit for bit with the same count and correctly with another.
#include <cmath>
#include <memory>

#include "files/model_file.h"
#include "test_helpers.h"
#include "thread_pool.h"

namespace charrnn {
namespace {

struct ShardedRun {
  std::unique_ptr<charrnn_cli::ThreadPool> pool;
  std::unique_ptr<Trainer> trainer;
};

Parallelism on_pool(charrnn_cli::ThreadPool& pool, int shards) {
  return {shards, [&pool](int n, const std::function<void(int)>& body) { pool.for_each(n, body); }};
}

ShardedRun make_run(CellType cell, int shards, const TrainConfig& tc) {
  ShardedRun r;
  r.pool = std::make_unique<charrnn_cli::ThreadPool>(shards);
  const ModelConfig mc = test::small_model_config(cell, 2, 0.25f);  // dropout: the per-stream masks matter
  r.trainer = std::make_unique<Trainer>(create_model_for_text(test::small_text(), mc, tc), tc, test::small_text(),
                                        on_pool(*r.pool, shards));
  return r;
}

TrainConfig five_streams() {
  TrainConfig tc = test::small_train_config();
  tc.batch_size = 5;  // uneven shards for 2 and 3
  return tc;
}

class Shards : public ::testing::TestWithParam<CellType> {};

TEST_P(Shards, AnyShardCountTrainsTheSameModelUpToFloatSums) {
  ShardedRun one = make_run(GetParam(), 1, five_streams());
  for (int shards : {2, 3, 5}) {
    SCOPED_TRACE(std::to_string(shards) + " shards");
    ShardedRun many = make_run(GetParam(), shards, five_streams());
    ShardedRun reference = make_run(GetParam(), 1, five_streams());
    for (int step = 0; step < 8; step++) {
      const StepResult a = reference.trainer->step(), b = many.trainer->step();
      ASSERT_NEAR(a.loss, b.loss, 1e-4 * a.loss) << "step " << step;
      ASSERT_NEAR(a.grad_norm, b.grad_norm, 1e-3 * a.grad_norm) << "step " << step;
    }
    const std::vector<float>& pa = reference.trainer->model().params;
    const std::vector<float>& pb = many.trainer->model().params;
    for (size_t i = 0; i < pa.size(); i++) ASSERT_NEAR(pa[i], pb[i], 1e-4f) << i;
    EXPECT_NEAR(reference.trainer->evaluate(), many.trainer->evaluate(), 1e-4);
  }
}

TEST_P(Shards, TheSameShardCountIsExactlyReproducible) {
  ShardedRun a = make_run(GetParam(), 3, five_streams()), b = make_run(GetParam(), 3, five_streams());
  for (int step = 0; step < 6; step++) ASSERT_EQ(a.trainer->step().loss, b.trainer->step().loss);
  EXPECT_TRUE(test::bit_identical(a.trainer->model().params, b.trainer->model().params));
}

TEST_P(Shards, CheckpointResumesBitForBitWithTheSameShardCount) {
  ShardedRun original = make_run(GetParam(), 2, five_streams());
  for (int i = 0; i < 4; i++) original.trainer->step();
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const LoadedModel loaded = test::load_bytes(save_model(original.trainer->model(), original.trainer.get(), checkpoint));
  charrnn_cli::ThreadPool pool(2);
  Trainer resumed(loaded.model, loaded.train_config, test::small_text(), on_pool(pool, 2));
  restore_checkpoint(resumed, loaded);
  for (int i = 0; i < 5; i++) ASSERT_EQ(original.trainer->step().loss, resumed.step().loss) << "step " << i;
  EXPECT_TRUE(test::bit_identical(original.trainer->model().params, resumed.model().params));

  // With another shard count it continues the same run, up to float sums.
  Trainer other(loaded.model, loaded.train_config, test::small_text(), on_pool(pool, 1));
  restore_checkpoint(other, loaded);
  Trainer again(loaded.model, loaded.train_config, test::small_text(), on_pool(pool, 2));
  restore_checkpoint(again, loaded);
  for (int i = 0; i < 5; i++) {
    const float a = again.step().loss, b = other.step().loss;
    ASSERT_NEAR(a, b, 1e-4f * a) << "step " << i;
  }
}

TEST_P(Shards, ShardCountOutsideTheBatchIsRefused) {
  const TrainConfig tc = five_streams();
  const ModelConfig mc = test::small_model_config(GetParam());
  EXPECT_THAT(test::error_message([&] {
                Trainer t(create_model_for_text(test::small_text(), mc, tc), tc, test::small_text(), {6, {}});
              }),
              test::HasSubstr("between 1 and the batch size (5)"));
  EXPECT_THAT(test::error_message([&] {
                Trainer t(create_model_for_text(test::small_text(), mc, tc), tc, test::small_text(), {0, {}});
              }),
              test::HasSubstr("number of threads"));
}

INSTANTIATE_TEST_SUITE_P(Cells, Shards, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

TEST(ThreadPool, RunsEveryItemOnceAndWaitsForAll) {
  charrnn_cli::ThreadPool pool(3);
  for (int round = 0; round < 50; round++) {
    std::vector<int> hits(7, 0);
    pool.for_each(7, [&](int i) { hits[static_cast<size_t>(i)]++; });
    for (int h : hits) ASSERT_EQ(h, 1);
  }
}

}  // namespace
}  // namespace charrnn

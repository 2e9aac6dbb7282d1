// The whole pipeline can learn: a few short sentences are memorised to near-zero loss and then
// reproduced exactly by greedy sampling primed with their first characters.
//
// One stream (B=1) whose T covers the whole text: every step starts at the text's beginning from a
// zero state, exactly as the sampler does, so each character is predictable from what precedes it.
#include <string>

#include "generation/sampler.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

// Five sentences (190 characters) sharing words such as "the", so the model has to use context.
// The leading line break is what the sampler reads before its priming text (Sampler::prime).
const std::string kSentences = "\n" + test::small_text();

struct OverfitResult {
  float final_loss = 1e9f;
  int steps = 0;
};

OverfitResult overfit(Trainer& trainer, int max_steps) {
  OverfitResult r;
  for (; r.steps < max_steps; r.steps++) {
    const StepResult s = trainer.step();
    EXPECT_FALSE(s.skipped);
    r.final_loss = s.loss;
    if (s.loss < 0.01f) break;
  }
  return r;
}

class Overfit : public ::testing::TestWithParam<CellType> {};

TEST_P(Overfit, MemorisesSentencesAndReproducesThemByArgmax) {
  ModelConfig mc;
  mc.cell = GetParam();
  mc.embed_size = 16;
  mc.hidden_size = 64;
  mc.layers = 1;
  TrainConfig tc;
  tc.batch_size = 1;
  tc.seq_len = static_cast<int>(kSentences.size()) - 1;
  tc.optimizer = OptimizerType::Adam;
  tc.learning_rate = 1e-2f;
  tc.val_fraction = 0.0f;
  tc.seed = 3;
  Trainer trainer(create_model_for_text(kSentences, mc, tc), tc, kSentences);
  ASSERT_EQ(trainer.steps_per_epoch(), 1);

  const OverfitResult r = overfit(trainer, 1500);
  ASSERT_LT(r.final_loss, 0.02f) << "after " << r.steps << " steps";

  SampleOptions greedy;
  greedy.argmax = true;
  const std::string prime = kSentences.substr(1, 4);  // "The "
  const std::string continuation = sample_text(trainer.model(), prime, static_cast<int>(kSentences.size() - 5), greedy);
  EXPECT_EQ("\n" + prime + continuation, kSentences);
}

INSTANTIATE_TEST_SUITE_P(Cells, Overfit, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

}  // namespace
}  // namespace charrnn

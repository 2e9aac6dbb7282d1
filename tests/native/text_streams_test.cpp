// Batching the text into B streams of T steps: stream positions and continuity, texts shorter
// than B*T (overlapping streams), epoch counting, and the hidden state reset at each epoch start.
#include <cmath>
#include <numeric>
#include <vector>

#include "test_helpers.h"
#include "text/text_streams.h"

namespace charrnn {
namespace {

using test::bit_identical;

// ids[i] = i, so every id names its own position in the text.
std::vector<int32_t> positions(int n) {
  std::vector<int32_t> ids(static_cast<size_t>(n));
  std::iota(ids.begin(), ids.end(), 0);
  return ids;
}

TEST(TextStreams, StreamsStartEvenlyAndContinueFromStepToStep) {
  const std::vector<int32_t> ids = positions(101);  // 100 usable positions
  const int B = 4, T = 5;
  TextStreams s(&ids, B, T);
  EXPECT_EQ(s.steps_per_epoch(), 5);  // (100 / 4) / 5
  std::vector<int32_t> in(B * T), tg(B * T);
  for (int step = 0; step < 5; step++) {
    EXPECT_EQ(s.next(in.data(), tg.data()), step == 0);
    for (int b = 0; b < B; b++) {
      for (int t = 0; t < T; t++) {
        const size_t row = static_cast<size_t>(t) * B + b;
        ASSERT_EQ(in[row], 25 * b + step * T + t) << "stream " << b << " step " << step;
        ASSERT_EQ(tg[row], in[row] + 1);
      }
    }
  }
  // The sixth step starts the next epoch from the beginning.
  EXPECT_TRUE(s.next(in.data(), tg.data()));
  EXPECT_EQ(in[0], 0);
}

TEST(TextStreams, TextShorterThanBTimesTOverlapsAndWraps) {
  const std::vector<int32_t> ids = positions(10);  // 9 usable positions, B*T = 32
  const int B = 4, T = 8;
  TextStreams s(&ids, B, T);
  EXPECT_EQ(s.steps_per_epoch(), 1);
  std::vector<int32_t> in(B * T), tg(B * T);
  for (int step = 0; step < 3; step++) {
    EXPECT_TRUE(s.next(in.data(), tg.data())) << "every step is a whole epoch";
    for (int b = 0; b < B; b++) {
      EXPECT_EQ(in[static_cast<size_t>(b)], 9 * b / B) << "stream " << b << " starts spread over the text";
      for (int t = 0; t < T; t++) {
        const size_t row = static_cast<size_t>(t) * B + b;
        ASSERT_GE(in[row], 0);
        ASSERT_LT(in[row], 9) << "the last character is only ever a target";
        ASSERT_EQ(tg[row], in[row] + 1);
        if (t > 0) {
          ASSERT_EQ(in[row], (in[row - B] + 1) % 9) << "wraps to the text's start";
        }
      }
    }
  }
}

TEST(TrainerStreams, TextShorterThanBatchTimesSequenceTrains) {
  const std::string text = "hello world, hi!";  // 16 characters; B*T = 80
  TrainConfig tc = test::small_train_config();
  tc.batch_size = 8;
  tc.seq_len = 10;
  tc.val_fraction = 0.0f;
  Trainer t = test::make_trainer(test::small_model_config(CellType::LSTM), tc, text);
  EXPECT_EQ(t.steps_per_epoch(), 1);
  const float first = t.step().loss;
  float last = first;
  for (int i = 0; i < 60; i++) {
    const StepResult r = t.step();
    ASSERT_FALSE(r.skipped);
    EXPECT_TRUE(r.epoch_start);
    last = r.loss;
  }
  EXPECT_LT(last, first * 0.5f);
  EXPECT_EQ(t.epoch(), 60);
}

TEST(TrainerStreams, EpochsAreCounted) {
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), test::small_train_config());
  const int64_t k = t.steps_per_epoch();
  ASSERT_EQ(k, 5);
  EXPECT_EQ(t.epoch(), 0);
  EXPECT_DOUBLE_EQ(t.epoch_progress(), 0.0);
  for (int64_t i = 0; i < 3 * k; i++) {
    const StepResult r = t.step();
    EXPECT_EQ(r.epoch_start, i % k == 0) << "step " << i;
    EXPECT_EQ(t.epoch(), i / k) << "step " << i;
    EXPECT_DOUBLE_EQ(t.epoch_progress(), static_cast<double>(i + 1) / static_cast<double>(k)) << "step " << i;
    EXPECT_EQ(t.iteration(), i + 1);
  }
}

// With a learning rate of 0 the weights never change, so the loss of a batch depends only on its
// text and the state it starts from. The hidden state is reset at each epoch start: the epochs'
// losses repeat exactly. Inside an epoch the state is carried: a batch's loss differs from the
// same batch started from zero.
TEST(TrainerStreams, HiddenStateIsResetAtEachEpochStartAndCarriedWithin) {
  for (CellType cell : {CellType::RNN, CellType::LSTM, CellType::GRU}) {
    SCOPED_TRACE(cell_name(cell));
    TrainConfig tc = test::small_train_config();
    tc.learning_rate = 0.0f;
    Trainer t = test::make_trainer(test::small_model_config(cell, 2), tc);
    const int64_t k = t.steps_per_epoch();
    std::vector<float> losses;
    std::vector<std::vector<float>> states;
    for (int64_t i = 0; i < 3 * k; i++) {
      losses.push_back(t.step().loss);
      states.push_back(t.carried_state().h[1]);
    }
    for (int64_t i = 0; i < k; i++) {
      EXPECT_EQ(losses[static_cast<size_t>(i)], losses[static_cast<size_t>(i + k)]) << "step " << i;
      EXPECT_EQ(losses[static_cast<size_t>(i)], losses[static_cast<size_t>(i + 2 * k)]) << "step " << i;
      EXPECT_TRUE(bit_identical(states[static_cast<size_t>(i)], states[static_cast<size_t>(i + k)]));
    }

    // The second batch from a zero state, computed directly: not what the trainer saw.
    const SplitText split = split_text(t.model().vocab, decode_training_text(test::small_text()), tc);
    TextStreams streams(&split.train, tc.batch_size, tc.seq_len);
    std::vector<int32_t> in(static_cast<size_t>(tc.batch_size * tc.seq_len)), tg(in.size());
    streams.next(in.data(), tg.data());
    streams.next(in.data(), tg.data());
    Activations acts;
    acts.allocate(t.model().config, tc.batch_size, tc.seq_len);
    RecurrentState zero;
    zero.resize(t.model().config, tc.batch_size);
    const double from_zero =
        model_forward(t.model(), acts, zero, in.data(), tg.data(), tc.batch_size, tc.seq_len, nullptr) /
        static_cast<double>(in.size());
    EXPECT_NE(static_cast<float>(from_zero), losses[1]) << "the carried state made no difference";
  }
}

TEST(TrainerStreams, SetTextRestartsAtTheFirstEpoch) {
  Trainer t = test::make_trainer(test::small_model_config(CellType::LSTM), test::small_train_config());
  t.step();
  t.step();
  t.set_text(test::small_text() + test::small_text());
  EXPECT_EQ(t.steps_per_epoch(), 10);
  const StepResult r = t.step();
  EXPECT_TRUE(r.epoch_start);
}

TEST(TrainerStreams, EvaluateUsesTheHeldOutPart) {
  TrainConfig tc = test::small_train_config();
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), tc);
  EXPECT_EQ(t.train_chars() + t.val_chars(), test::small_text().size());
  EXPECT_EQ(t.val_chars(), static_cast<size_t>(test::small_text().size() * 0.1));
  const double before = t.evaluate();
  EXPECT_NEAR(before, std::log(static_cast<double>(t.model().config.vocab_size)), 0.5);
  EXPECT_EQ(t.evaluate(), before) << "evaluation starts from a fresh state each time";
  for (int i = 0; i < 40; i++) t.step();
  EXPECT_LT(t.evaluate(), before);

  tc.val_fraction = 0.0f;
  Trainer no_val = test::make_trainer(test::small_model_config(CellType::GRU), tc);
  EXPECT_TRUE(std::isnan(no_val.evaluate()));
}

}  // namespace
}  // namespace charrnn

// Training in lines mode: a small list is memorised to near-zero loss and sampled back as whole
// training lines (marked so); sampled lines stop at their line break or the cap; checkpoints
// resume bit for bit; shards train the same model; the model file remembers the mode.
#include <cmath>
#include <memory>

#include "inspection/inspect.h"
#include "generation/line_sampler.h"
#include "files/model_file.h"
#include "replica_steps.h"
#include "test_helpers.h"
#include "thread_pool.h"

namespace charrnn {
namespace {

const std::string& names() {
  static const std::string text = "Anna\nBoris\nCarla\nDmitri\nElena\nFiona\nGustav\nHelga\nIgor\nJana\n";
  return text;
}

TrainConfig lines_config(int batch = 4, int seq_len = 8) {
  TrainConfig tc = test::small_train_config();
  tc.lines = true;
  tc.val_fraction = 0.0f;
  tc.batch_size = batch;
  tc.seq_len = seq_len;
  return tc;
}

std::unique_ptr<Trainer> lines_trainer(const TrainConfig& tc, Parallelism p = {}, float dropout = 0.0f) {
  const ModelConfig mc = test::small_model_config(CellType::GRU, 1, dropout);
  return std::make_unique<Trainer>(create_model_for_text(names(), mc, tc), tc, names(), std::move(p));
}

TEST(LinesTraining, MemorisesAListAndSamplesItsLinesBack) {
  TrainConfig tc = lines_config(10, 8);
  tc.learning_rate = 2e-2f;
  const ModelConfig mc = test::small_model_config(CellType::LSTM, 1);
  Trainer t(create_model_for_text(names(), [&] { ModelConfig m = mc; m.hidden_size = 48; return m; }(), tc), tc, names());
  t.train(600);
  // Only each line's first letter is a real choice (10 lines, 10 first letters): the least loss
  // possible is 10 ln 10 nats over the 59 predictions (49 letters and 10 line breaks).
  const double floor = 10.0 * std::log(10.0) / 59.0;
  const TrainSummary s = t.train(20);
  EXPECT_LT(s.loss, floor + 0.05) << "floor " << floor;
  EXPECT_TRUE(t.model().lines);
  const TextLines text_lines(names());
  SampleOptions greedy;
  greedy.argmax = true;
  const auto argmax = sample_lines(t.model(), 3, greedy, &text_lines);
  for (const SampledLine& l : argmax) {
    EXPECT_TRUE(l.complete);
    EXPECT_TRUE(l.from_text) << "'" << l.text << "' is not a training line";
  }
  SampleOptions warm;
  warm.temperature = 0.5f;
  warm.seed = 3;
  int from_text = 0;
  for (const SampledLine& l : sample_lines(t.model(), 20, warm, &text_lines)) from_text += l.from_text;
  EXPECT_GE(from_text, 18) << "at temperature 0.5 nearly every line is a training line";
}

// A lines model learned each line from the zero state after a line break; a sample or an
// inspection that read on past a line end with the old state gave the next line a state it never
// saw (a requested 300-character sample came out as line breaks; the inspect card showed 20 nats).
TEST(LinesTraining, EveryLineStartsAfreshInSamplesAndInspection) {
  auto t = lines_trainer(lines_config());
  t->train(30);
  const Model& m = t->model();
  SampleOptions options;
  Sampler after_a_line(m, options), alone(m, options);
  after_a_line.prime("Boris\nAn");
  alone.prime("An");
  ASSERT_EQ(after_a_line.probabilities().size(), alone.probabilities().size());
  for (size_t v = 0; v < alone.probabilities().size(); v++)
    EXPECT_NEAR(after_a_line.probabilities()[v], alone.probabilities()[v], 1e-5f) << "symbol " << v;

  const Inspection both = inspect_text(m, "Anna\nBoris\n");
  const Inspection second = inspect_text(m, "Boris\n");
  for (size_t i = 0; i < second.p_actual.size(); i++)
    EXPECT_NEAR(both.p_actual[5 + i], second.p_actual[i], 1e-5f) << "character " << i << " of the second line";

  // A stream model carries its state across the line break, as it was trained.
  ModelConfig mc = test::small_model_config(CellType::GRU, 1);
  TrainConfig tc = test::small_train_config();
  Trainer stream(create_model_for_text(names(), mc, tc), tc, names());
  stream.train(30);
  Sampler s_after(stream.model(), options), s_alone(stream.model(), options);
  s_after.prime("Boris\nAn");
  s_alone.prime("An");
  float differ = 0.0f;
  for (size_t v = 0; v < s_alone.probabilities().size(); v++)
    differ = std::max(differ, std::abs(s_after.probabilities()[v] - s_alone.probabilities()[v]));
  EXPECT_GT(differ, 1e-4f);
}

TEST(LinesTraining, SampledLinesStopAtTheLineBreakOrTheCap) {
  auto t = lines_trainer(lines_config());  // untrained: lines of any length
  SampleOptions o;
  o.seed = 5;
  const auto lines = sample_lines(t->model(), 30, o, nullptr, 3);
  int cut = 0;
  for (const SampledLine& l : lines) {
    EXPECT_EQ(l.text.find('\n'), std::string::npos);
    EXPECT_LE(l.text.size(), 3u);
    EXPECT_FALSE(l.from_text) << "nothing is marked without the text's lines";
    cut += !l.complete;
  }
  EXPECT_GT(cut, 0) << "an untrained model rarely ends a line within 3 characters";
  EXPECT_THAT(test::error_message([&] { sample_lines(t->model(), 0, o, nullptr); }), test::HasSubstr("between 1 and"));
}

TEST(LinesTraining, AMadeUpLineIsNew) {
  const TextLines text_lines(names());
  EXPECT_TRUE(text_lines.contains("Helga"));
  EXPECT_FALSE(text_lines.contains("Helg"));
  EXPECT_FALSE(text_lines.contains("Helga "));
}

TEST(LinesTraining, LossIsTheMeanOverRealTargetsOnly) {
  // Doubling the sequence length pads every line further; the first step's loss (same weights,
  // same lines, no dropout) must not change.
  auto a = lines_trainer(lines_config(4, 8)), b = lines_trainer(lines_config(4, 16));
  const StepResult ra = a->step(), rb = b->step();
  EXPECT_NEAR(ra.loss, rb.loss, 1e-5f);
  EXPECT_NEAR(ra.grad_norm, rb.grad_norm, 1e-5f * ra.grad_norm) << "the gradient is the same mean's";
}

// Characters per second count what a step predicts: a line's characters and its line break, not
// the padding that fills its chunk to the sequence length.
TEST(LinesTraining, AStepCountsItsRealCharactersNotThePadding) {
  // Ten lines of at most 6 letters, 10 streams of 8: each line is one chunk, one step an epoch.
  auto t = lines_trainer(lines_config(10, 8));
  EXPECT_EQ(t->step().chars, 59) << "49 letters and 10 line breaks, not 10 x 8";
  const TrainSummary s = t->train(3);
  EXPECT_EQ(s.chars, 3 * 59);
  // One stream of text: every position is a real character.
  TrainConfig tc = test::small_train_config();
  tc.batch_size = 2;
  tc.seq_len = 5;
  const ModelConfig mc = test::small_model_config(CellType::GRU, 1);
  Trainer stream(create_model_for_text(names(), mc, tc), tc, names());
  EXPECT_EQ(stream.train(2).chars, 2 * 2 * 5);
}

TEST(LinesTraining, ValidationHoldsOutWholeLinesOrNone) {
  TrainConfig tc = lines_config();
  EXPECT_TRUE(std::isnan(lines_trainer(tc)->evaluate())) << "val_fraction 0: every line trains";
  tc.val_fraction = 0.2f;
  auto t = lines_trainer(tc);
  EXPECT_EQ(t->val_chars(), std::string("Elena\nJana\n").size());
  const double untrained = t->evaluate();
  EXPECT_GT(untrained, 1.0);
  EXPECT_LT(untrained, 2.0 * std::log(static_cast<double>(t->model().config.vocab_size)));
  EXPECT_NEAR(t->evaluate(6), untrained, 1.0) << "a cap keeps whole lines (here the first)";
}

TEST(LinesTraining, WithNothingHeldOutTheTrainingLossMarksGoodWeights) {
  auto t = lines_trainer(lines_config());
  EXPECT_FALSE(t->mark_good(std::nan(""))) << "no step yet: nothing to go by";
  t->step();
  EXPECT_TRUE(t->mark_good(t->evaluate())) << "the autosave and the rollback point follow a memorising run";
}

TEST(LinesTraining, CheckpointResumesBitForBit) {
  auto original = lines_trainer(lines_config(3, 4), {}, 0.2f);  // short chunks: lines span several steps
  for (int i = 0; i < 5; i++) original->step();
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const LoadedModel loaded = test::load_bytes(save_model(original->model(), original.get(), checkpoint));
  EXPECT_TRUE(loaded.model.lines);
  EXPECT_TRUE(loaded.train_config.lines);
  Trainer resumed(loaded.model, loaded.train_config, names());
  restore_checkpoint(resumed, loaded);
  for (int i = 0; i < 7; i++) ASSERT_EQ(original->step().loss, resumed.step().loss) << "step " << i;
  EXPECT_TRUE(test::bit_identical(original->model().params, resumed.model().params));
}

TEST(LinesTraining, ShardsTrainTheSameModelUpToFloatSums) {
  charrnn_cli::ThreadPool pool(3);
  auto on_pool = [&pool](int shards) {
    return Parallelism{shards, [&pool](int n, const std::function<void(int)>& body) { pool.for_each(n, body); }};
  };
  TrainConfig tc = lines_config(5, 4);
  tc.val_fraction = 0.3f;
  auto one = lines_trainer(tc, on_pool(1), 0.2f), three = lines_trainer(tc, on_pool(3), 0.2f);
  for (int step = 0; step < 8; step++) {
    const StepResult a = one->step(), b = three->step();
    ASSERT_NEAR(a.loss, b.loss, 1e-4 * a.loss) << "step " << step;
  }
  for (size_t i = 0; i < one->model().params.size(); i++)
    ASSERT_NEAR(one->model().params[i], three->model().params[i], 1e-4f) << i;
  EXPECT_NEAR(one->evaluate(), three->evaluate(), 1e-4);
}

TEST(LinesTraining, ShardsInReplicasTrainExactlyTheModelOfLocalShards) {
  // As a browser's helper workers run them: each replica knows only its own streams, so the
  // trainer rescales the padded batch's gradient (shard_replica_test.cpp does one stream).
  TrainConfig tc = lines_config(5, 4);
  auto local = lines_trainer(tc, {3, {}}, 0.2f), remote = lines_trainer(tc, {3, {}}, 0.2f);
  auto replicas = test::make_replicas(*remote);
  for (int step = 0; step < 10; step++) {
    const StepResult a = local->step(), b = test::replica_step(*remote, replicas);
    ASSERT_EQ(a.loss, b.loss) << "step " << step;
  }
  EXPECT_TRUE(test::bit_identical(local->model().params, remote->model().params));
}

TEST(LinesTraining, AModelFileRemembersTheMode) {
  auto t = lines_trainer(lines_config());
  EXPECT_TRUE(test::load_bytes(save_model(t->model(), t.get(), {})).model.lines);
  TrainConfig stream = lines_config();
  stream.lines = false;
  const ModelConfig mc = test::small_model_config(CellType::GRU);
  Trainer s(create_model_for_text(names(), mc, stream), stream, names());
  EXPECT_FALSE(test::load_bytes(save_model(s.model(), &s, {})).model.lines);
  test::FileParts parts = test::split_file(save_model(t->model(), t.get(), {}));
  parts.header["__metadata__"]["examples"] = "paragraphs";
  EXPECT_THAT(test::error_message([&] { test::load_bytes(test::join_file(parts)); }), test::HasSubstr("'examples'"));
}

}  // namespace
}  // namespace charrnn

// Sampling: seeded and reproducible, top-k=1 is argmax, temperature is validated, streaming one
// character at a time equals one long call, and the sampler's one-step path computes the same
// distribution as the training forward pass.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "generation/sampler.h"
#include "numerics/softmax_loss.h"
#include "test_helpers.h"
#include "text/utf8.h"

namespace charrnn {
namespace {

using test::error_message;
using test::HasSubstr;

// A briefly trained model, so its distributions are neither uniform nor one-hot.
class SamplerTest : public ::testing::TestWithParam<CellType> {
 protected:
  void SetUp() override {
    Trainer t = test::make_trainer(test::small_model_config(GetParam(), 2), test::small_train_config());
    for (int i = 0; i < 30; i++) t.step();
    model_ = t.model();
  }
  SampleOptions with_seed(uint64_t seed) const {
    SampleOptions o;
    o.seed = seed;
    return o;
  }
  Model model_;
};

TEST_P(SamplerTest, SameSeedSameSampleDifferentSeedsDiffer) {
  const std::string a = sample_text(model_, "The ", 200, with_seed(5));
  EXPECT_EQ(sample_text(model_, "The ", 200, with_seed(5)), a);
  EXPECT_NE(sample_text(model_, "The ", 200, with_seed(6)), a);
  // Without a priming text the sample is just as reproducible.
  EXPECT_EQ(sample_text(model_, "", 100, with_seed(9)), sample_text(model_, "", 100, with_seed(9)));
  EXPECT_EQ(decode_utf8(a).size(), 200u);
}

TEST_P(SamplerTest, TopKOneEqualsArgmax) {
  SampleOptions top1 = with_seed(1), greedy = with_seed(2);
  top1.top_k = 1;
  greedy.argmax = true;
  EXPECT_EQ(sample_text(model_, "A j", 150, top1), sample_text(model_, "A j", 150, greedy));
}

TEST_P(SamplerTest, TopKKeepsOnlyTheKMostLikely) {
  SampleOptions o = with_seed(4);
  o.top_k = 3;
  Sampler s(model_, o);
  s.prime("The ea");
  for (int i = 0; i < 100; i++) {
    std::vector<float> p = s.probabilities();
    std::vector<float> sorted = p;
    std::sort(sorted.rbegin(), sorted.rend());
    const int id = s.next_id();
    ASSERT_GE(p[static_cast<size_t>(id)], sorted[2]) << "step " << i << " drew a character outside the top 3";
  }
}

TEST_P(SamplerTest, TemperatureIsValidated) {
  for (float t : {0.0f, -1.0f, 0.001f, 1000.0f, NAN, INFINITY}) {
    SampleOptions o;
    o.temperature = t;
    EXPECT_THAT(error_message([&] { sample_text(model_, "", 5, o); }), HasSubstr("temperature must be between"))
        << t;
  }
  // Greedy sampling does not use the temperature.
  SampleOptions greedy;
  greedy.argmax = true;
  greedy.temperature = 0.0f;
  EXPECT_EQ(error_message([&] { sample_text(model_, "", 5, greedy); }), "<no error thrown>");
  SampleOptions negative_k;
  negative_k.top_k = -1;
  EXPECT_THAT(error_message([&] { Sampler s(model_, negative_k); }), HasSubstr("top-k"));
  Sampler s(model_, SampleOptions{});
  SampleOptions bad;
  bad.temperature = -2.0f;
  EXPECT_THAT(error_message([&] { s.set_options(bad); }), HasSubstr("temperature"));
}

TEST_P(SamplerTest, TemperatureSharpensAndFlattens) {
  auto entropy_after = [&](float temperature) {
    SampleOptions o;
    o.temperature = temperature;
    Sampler s(model_, o);
    s.prime("The quick");
    double h = 0;
    for (float p : s.probabilities()) h -= p > 0 ? p * std::log(p) : 0;
    return h;
  };
  EXPECT_LT(entropy_after(0.5f), entropy_after(1.0f));
  EXPECT_LT(entropy_after(1.0f), entropy_after(2.0f));
  EXPECT_NEAR(entropy_after(100.0f), std::log(model_.config.vocab_size), 0.05);
}

TEST_P(SamplerTest, StreamingOneAtATimeEqualsOneCall) {
  Sampler whole(model_, with_seed(77)), streamed(model_, with_seed(77));
  whole.prime("All ");
  streamed.prime("All ");
  const std::string expected = whole.next(120);
  std::string got;
  for (int i = 0; i < 120; i++) got += streamed.next(1);
  EXPECT_EQ(got, expected);
}

TEST_P(SamplerTest, ProbabilitiesAreADistribution) {
  Sampler s(model_, with_seed(1));
  s.prime("Pr");
  const std::vector<float>& p = s.probabilities();
  ASSERT_EQ(p.size(), static_cast<size_t>(model_.config.vocab_size));
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-5);
  for (float x : p) EXPECT_GE(x, 0.0f);
}

// The sampler advances one character at a time with layer_step; training runs whole sequences
// with layer_forward. Fed the same characters from a zero state (the sampler first reads a line
// break, see Sampler::prime), both must predict the same next-character distribution everywhere.
TEST_P(SamplerTest, MatchesTheTrainingForwardPass) {
  const std::string text = "The early bird";
  ASSERT_TRUE(model_.vocab.contains(U'\n'));
  const std::vector<int32_t> ids = model_.vocab.encode("\n" + text, "test text");
  const int T = static_cast<int>(ids.size()), V = model_.config.vocab_size;
  Activations acts;
  acts.allocate(model_.config, 1, T);
  RecurrentState zero;
  zero.resize(model_.config, 1);
  const std::vector<int32_t> targets(ids.size(), 0);
  model_forward(model_, acts, zero, ids.data(), targets.data(), 1, T, nullptr);  // logits -> probabilities
  Sampler s(model_, SampleOptions{});
  for (int t = 1; t < T; t++) {
    s.prime(text.substr(0, static_cast<size_t>(t)));  // ASCII: one byte per character
    for (int v = 0; v < V; v++)
      ASSERT_NEAR(s.probabilities()[static_cast<size_t>(v)], acts.logits[static_cast<size_t>(t) * V + v], 1e-5)
          << "position " << t << ", symbol " << v;
  }
}

// The sampler reads the model's current weights: training between calls changes what it predicts.
TEST_P(SamplerTest, FollowsAModelThatKeepsTraining) {
  Trainer t = test::make_trainer(test::small_model_config(GetParam()), test::small_train_config());
  Sampler s(t.model(), SampleOptions{});
  s.prime("The");
  const std::vector<float> before = s.probabilities();
  for (int i = 0; i < 5; i++) t.step();
  s.prime("The");
  EXPECT_FALSE(test::bit_identical(s.probabilities(), before));
}

INSTANTIATE_TEST_SUITE_P(Cells, SamplerTest, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

}  // namespace
}  // namespace charrnn

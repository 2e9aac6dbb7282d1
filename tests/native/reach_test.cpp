// How far back the gradient reaches (inspection/reach.h): the model's own backward pass agrees with
// finite differences of ln p(x_t | x_<t) with respect to an earlier character's embedding, with
// dropout off; and a model trained on a planted copy task (the next character is, more often than
// not, the one K steps back) reaches back furthest at K.
#include <algorithm>
#include <cmath>

#include "inspection/inspect.h"
#include "inspection/reach.h"
#include "numerics/rng.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

// ln p(x_t | x_<t) as the inspection computes it (the same start context, forward only).
double log_p(const Model& m, const std::string& text, int t) {
  const Inspection in = inspect_text(m, text.substr(0, static_cast<size_t>(t) + 1), {1});
  return std::log(static_cast<double>(in.p_actual[static_cast<size_t>(t)]));
}

class ReachGradientTest : public ::testing::TestWithParam<CellType> {};

// Each character of the text appears once, so moving the embedding row of x_{t-k} moves exactly
// the input k steps back. One point per distance: the derivative along a random direction r.
TEST_P(ReachGradientTest, AgreesWithFiniteDifferences) {
  const std::string letters = "abcdefghijklm";
  ModelConfig config = test::small_model_config(GetParam(), 2, /*dropout=*/0.3f);  // dropout must stay off
  Model fresh = create_model_for_text("\n" + letters, config, test::small_train_config());
  for (float& p : fresh.params) p *= 2.5f;  // larger weights: gradients well above the differences' noise
  Model m = fresh;
  const int t = 11, E = m.config.embed_size;
  const std::string text = letters.substr(0, static_cast<size_t>(t) + 1);
  ReachProbe probe(m, text, 20);
  const std::vector<float> g = probe.gradient_at(t);
  ASSERT_EQ(g.size(), static_cast<size_t>(t) * E);
  Rng rng(11);
  double largest = 0.0;
  for (int k = 1; k <= t; k++) {
    std::vector<double> r(static_cast<size_t>(E));
    double norm = 0.0;
    for (double& x : r) x = rng.uniform(-1.0f, 1.0f), norm += x * x;
    for (double& x : r) x /= std::sqrt(norm);
    double analytic = 0.0;
    for (int e = 0; e < E; e++) analytic += g[static_cast<size_t>(k - 1) * E + e] * r[static_cast<size_t>(e)];
    const int32_t id = m.vocab.id(static_cast<char32_t>(text[static_cast<size_t>(t - k)]));
    const size_t at = m.layout.embedding + static_cast<size_t>(id) * E;  // e_{t-k}: its row of the table
    const double eps = 1e-2;
    auto shifted = [&](double by) {
      for (int e = 0; e < E; e++)
        m.params[at + e] = fresh.params[at + e] + static_cast<float>(by * r[static_cast<size_t>(e)]);
      return log_p(m, text, t);
    };
    const double numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
    shifted(0.0);
    EXPECT_NEAR(analytic, numeric, 2e-4 + 0.02 * std::fabs(numeric)) << "distance " << k;
    largest = std::max(largest, std::fabs(numeric));
  }
  EXPECT_GT(largest, 1e-2) << "the gradients are too small for this comparison to mean anything";

  // A window shorter than the text: the inputs before it enter only through the carried state,
  // which does not depend on the inputs inside it, so the nearest distances are unchanged.
  m = fresh;
  ReachProbe short_window(m, text, 4);
  const std::vector<float> near = short_window.gradient_at(t);
  ASSERT_EQ(near.size(), static_cast<size_t>(4) * E);
  for (size_t i = 0; i < near.size(); i++) ASSERT_NEAR(near[i], g[i], 1e-5 + 1e-4 * std::fabs(g[i])) << "row " << i / E;
}

INSTANTIATE_TEST_SUITE_P(Cells, ReachGradientTest, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const auto& info) { return std::string(cell_of(info.param).name); });

// Letters where each is, with probability 0.8, the one `distance` back, else a random letter.
std::string copy_text(int n, int distance, uint64_t seed) {
  const std::string letters = "abcdefgh";
  Rng rng(seed);
  std::string s;
  for (int i = 0; i < n; i++) {
    const bool copy = i >= distance && rng.uniform() < 0.8f;
    s += copy ? s[static_cast<size_t>(i - distance)] : letters[static_cast<size_t>(rng.uniform() * 8) % 8];
  }
  return s;
}

TEST(Reach, PeaksAtAPlantedCopyDistance) {
  constexpr int kCopyDistance = 5;
  const std::string text = copy_text(50000, kCopyDistance, 1);
  ModelConfig config = test::small_model_config(CellType::GRU);
  config.hidden_size = 32;
  TrainConfig train = test::small_train_config();
  train.batch_size = 16;
  train.seq_len = 20;
  Trainer trainer = test::make_trainer(config, train, text);
  for (int i = 0; i < 600; i++) trainer.step();
  const double loss = trainer.evaluate();
  ASSERT_LT(loss, std::log(8.0) - 0.8) << "the model did not learn the copy task";
  ReachOptions options;
  options.max_distance = 12;
  options.samples = 100;
  const Reach reach = reach_over_text(trainer.model(), copy_text(800, kCopyDistance, 2), options);
  const auto peak =
      std::max_element(reach.by_distance.begin(), reach.by_distance.end()) - reach.by_distance.begin() + 1;
  std::string curve;
  for (double x : reach.by_distance) curve += std::to_string(x) + " ";
  EXPECT_EQ(peak, kCopyDistance) << curve;
  for (int k = 1; k <= options.max_distance; k++)
    if (k != kCopyDistance)
      EXPECT_GT(reach.by_distance[kCopyDistance - 1], 1.5 * reach.by_distance[static_cast<size_t>(k - 1)]) << curve;
  EXPECT_EQ(reach.positions.size(), 100u);
  EXPECT_EQ(reach.counts.front(), 100);
}

TEST(Reach, BadInputIsRefused) {
  const Model m =
      create_model_for_text(test::small_text(), test::small_model_config(CellType::LSTM), test::small_train_config());
  EXPECT_THAT(test::error_message([&] { reach_at(m, "The cat", 9); }), ::testing::HasSubstr("between 1 and 6"));
  EXPECT_THAT(test::error_message([&] { reach_at(m, "The cat", 3, 0); }), ::testing::HasSubstr("distance must be between 1"));
  EXPECT_THAT(test::error_message([&] { reach_at(m, "Zebra", 2); }), ::testing::HasSubstr("'Z'"));
}

}  // namespace
}  // namespace charrnn

// Looking inside: the inspection runs the same forward pass as training and sampling (so it
// reports exactly what they compute), the neuron ranking finds a unit planted to track quotes,
// and bad input is refused or handled as documented.
#include <cmath>
#include <numeric>

#include "inspection/inspect.h"
#include "inspection/neurons.h"
#include "generation/sampler.h"
#include "test_helpers.h"
#include "text/utf8.h"

namespace charrnn {
namespace {

class InspectTest : public ::testing::TestWithParam<CellType> {
 protected:
  void SetUp() override {
    Trainer t = test::make_trainer(test::small_model_config(GetParam(), 2), test::small_train_config());
    for (int i = 0; i < 30; i++) t.step();
    model_ = t.model();
  }
  Model model_;
};

// Per character: the training forward (model_forward with targets, B = 1, from the line-break start
// context) gives the same hidden states and probabilities; p_actual is that probability.
TEST_P(InspectTest, EqualsTheTrainingForwardPass) {
  const std::string text = "The early bird catches the worm.\nAll that";
  const Inspection in = inspect_text(model_, text, {5});
  const int N = in.chars, V = model_.config.vocab_size, H = model_.config.hidden_size, L = model_.config.layers;
  ASSERT_EQ(N, static_cast<int>(text.size()));
  std::vector<int32_t> ids = model_.vocab.encode("\n" + text, "test");
  std::vector<int32_t> targets(ids.begin() + 1, ids.end());
  targets.push_back(0);
  Activations acts;
  acts.allocate(model_.config, 1, N + 1);
  RecurrentState zero;
  zero.resize(model_.config, 1);
  model_forward(model_, acts, zero, ids.data(), targets.data(), 1, N + 1, nullptr);  // logits -> probabilities
  for (int i = 0; i < N; i++) {
    const float* before = acts.logits.data() + static_cast<size_t>(i) * V;  // after the prefix up to char i-1
    const float* after = acts.logits.data() + static_cast<size_t>(i + 1) * V;
    ASSERT_NEAR(in.p_actual[static_cast<size_t>(i)], before[ids[static_cast<size_t>(i) + 1]], 1e-6) << "char " << i;
    for (int k = 0; k < 5; k++) {
      const int32_t id = in.top_ids[static_cast<size_t>(i) * 5 + k];
      ASSERT_NEAR(in.top_probs[static_cast<size_t>(i) * 5 + k], after[id], 1e-6);
      if (k > 0) ASSERT_GE(in.top_probs[static_cast<size_t>(i) * 5 + k - 1], in.top_probs[static_cast<size_t>(i) * 5 + k]);
    }
    const float top = *std::max_element(after, after + V);
    ASSERT_NEAR(in.top_probs[static_cast<size_t>(i) * 5], top, 1e-6) << "the likeliest first";
    for (int l = 0; l < L; l++) {
      const float* h = acts.layers[static_cast<size_t>(l)].hs.data() + static_cast<size_t>(i + 2) * H;  // hs[0] = h0
      for (int u = 0; u < H; u++) {
        ASSERT_NEAR(in.h[(static_cast<size_t>(l) * N + i) * H + u], h[u], 1e-5) << "layer " << l << " char " << i;
        if (in.has_cell_state) {
          const float c = acts.layers[static_cast<size_t>(l)].cs[static_cast<size_t>(i + 2) * H + u];
          ASSERT_NEAR(in.c[(static_cast<size_t>(l) * N + i) * H + u], std::tanh(c), 1e-5);
        }
      }
    }
  }
  EXPECT_EQ(in.has_cell_state, GetParam() == CellType::LSTM);
}

// And the sampler, primed with each prefix, predicts the same distribution.
TEST_P(InspectTest, EqualsTheSamplersProbabilities) {
  const std::string text = "Practice makes perfect.";
  const Inspection in = inspect_text(model_, text, {3});
  Sampler s(model_, SampleOptions{});
  for (int i = 0; i < in.chars; i++) {
    s.prime(text.substr(0, static_cast<size_t>(i) + 1));
    for (int k = 0; k < 3; k++)
      ASSERT_NEAR(s.probabilities()[static_cast<size_t>(in.top_ids[static_cast<size_t>(i) * 3 + k])],
                  in.top_probs[static_cast<size_t>(i) * 3 + k], 1e-5);
  }
}

// Long texts run in chunks that carry the state: the result does not depend on where chunks end.
TEST_P(InspectTest, ChunkedLikeOnePass) {
  std::string text;
  while (text.size() < 700) text += test::small_text();
  const Inspection whole = inspect_text(model_, text);
  const Inspection prefix = inspect_text(model_, text.substr(0, 300));
  for (size_t i = 0; i < 300; i++) ASSERT_EQ(whole.p_actual[i], prefix.p_actual[i]) << i;
  for (size_t i = 0; i < 300 * static_cast<size_t>(whole.hidden); i++) ASSERT_EQ(whole.h[i], prefix.h[i]);
}

TEST_P(InspectTest, CharactersOutsideTheVocabularyAreSkipped) {
  const Inspection in = inspect_text(model_, "The€ early");
  ASSERT_EQ(in.chars, 10);
  EXPECT_EQ(in.ids[3], -1);
  EXPECT_EQ(in.p_actual[3], 0.0f) << "the model gave it nothing";
  const size_t H = static_cast<size_t>(in.hidden);
  for (size_t u = 0; u < H; u++) EXPECT_EQ(in.h[3 * H + u], in.h[2 * H + u]) << "not fed: the state stays";
  // The rest is as if the character were not there.
  const Inspection without = inspect_text(model_, "The early");
  EXPECT_EQ(in.p_actual[4], without.p_actual[3]);
  EXPECT_EQ(in.p_actual[9], without.p_actual[8]);
}

TEST_P(InspectTest, RefusesBadInput) {
  EXPECT_THAT(test::error_message([&] { inspect_text(model_, ""); }), test::HasSubstr("empty"));
  EXPECT_THAT(test::error_message([&] { inspect_text(model_, "ab\xFF"); }), test::HasSubstr("not valid UTF-8"));
  EXPECT_THAT(test::error_message([&] { inspect_text(model_, "abc", {0}); }), test::HasSubstr("top-k"));
  EXPECT_THAT(test::error_message([&] { inspect_text(model_, std::string(kMaxInspectChars + 1, 'a')); }),
              test::HasSubstr("at most 20000"));
}

INSTANTIATE_TEST_SUITE_P(Cells, InspectTest, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

// A GRU whose unit 0 is set by hand to be -1 outside double quotes and +1 inside: a quote
// (z = 0: take the candidate) flips it, n = tanh(-20 h_prev); a line break sets it to -1; any
// other character keeps it (z = 1). Every other unit keeps its random weights.
TEST(NeuronRanking, FindsAPlantedQuoteNeuron) {
  const std::string text =
      "He said \"hello there\" and left.\nShe wrote \"no\" twice, then \"yes\".\n"
      "The sign read \"closed for the day\" again.\nA \"word\" or two.\n";
  ModelConfig mc = test::small_model_config(CellType::GRU, 1);
  const Vocab vocab = Vocab::from_text(text);
  mc.vocab_size = vocab.size();
  mc.embed_size = vocab.size();
  Model m = Model::create(mc, vocab, 3);
  const int V = vocab.size(), H = mc.hidden_size, GH = 3 * H;
  float* emb = m.params.data() + m.layout.embedding;
  for (int i = 0; i < V * V; i++) emb[i] = i % (V + 1) == 0 ? 1.0f : 0.0f;  // one-hot
  const LayerSlots& s = m.layout.layers[0];
  float* wx = m.params.data() + s.wx;
  float* wh = m.params.data() + s.wh;
  float* b = m.params.data() + s.b;
  const int quote = vocab.id(U'"'), nl = vocab.id(U'\n');
  for (int e = 0; e < V; e++) {
    wx[e * GH + 0] = 0.0f;  // r: always open (bias)
    wx[e * GH + H] = (e == quote || e == nl) ? -40.0f : 0.0f;  // z: take the candidate on " and \n
    wx[e * GH + 2 * H] = e == nl ? -60.0f : 0.0f;  // n: -1 after a line break
  }
  for (int j = 0; j < H; j++) wh[j * GH + 0] = wh[j * GH + H] = wh[j * GH + 2 * H] = 0.0f;
  wh[0 * GH + 2 * H] = -20.0f;  // n = tanh(-20 h_prev): a quote flips the state
  b[0] = 20.0f, b[H] = 20.0f, b[2 * H] = 0.0f;
  m.params[s.bhn] = 0.0f;

  const Inspection in = inspect_text(m, text);
  const std::vector<PropertyRanking> ranks = rank_neurons(in, 3);
  const auto quotes = std::find_if(ranks.begin(), ranks.end(), [](const PropertyRanking& r) { return r.property == "inside quotes"; });
  ASSERT_NE(quotes, ranks.end());
  ASSERT_TRUE(quotes->varies);
  ASSERT_EQ(quotes->best.size(), 3u);
  EXPECT_EQ(quotes->best[0].layer, 0);
  EXPECT_EQ(quotes->best[0].unit, 0);
  EXPECT_FALSE(quotes->best[0].cell_state);
  EXPECT_GT(quotes->best[0].r, 0.99f);
  EXPECT_LT(std::fabs(quotes->best[1].r), quotes->best[0].r);
}

TEST(NeuronRanking, TextPropertiesFollowTheText) {
  const std::vector<char32_t> t = decode_utf8("a(b[c]) \"q\"\n  x // y\nz /* w */ v");
  const std::vector<TextProperty> p = text_properties(t);
  auto values = [&](const char* name) {
    for (const TextProperty& x : p)
      if (x.name == name) return x.values;
    throw std::logic_error(name);
  };
  const std::vector<float> depth = values("bracket depth"), line = values("line position"),
                           quotes = values("inside quotes"), comment = values("inside a comment"),
                           indent = values("indentation"), word = values("inside a word");
  EXPECT_EQ(depth[1], 1.0f);  // after "("
  EXPECT_EQ(depth[3], 2.0f);  // after "["
  EXPECT_EQ(depth[6], 0.0f);  // after ")"
  EXPECT_EQ(quotes[8], 1.0f);  // the opening quote
  EXPECT_EQ(quotes[9], 1.0f);
  EXPECT_EQ(quotes[10], 0.0f);  // the closing quote
  EXPECT_EQ(line[11], 0.0f);  // the line break
  EXPECT_EQ(line[12], 1.0f);
  EXPECT_EQ(indent[13], 2.0f);
  EXPECT_EQ(indent[14], 2.0f);  // "x": the indentation stays
  EXPECT_EQ(comment[14], 0.0f);
  EXPECT_EQ(comment[17], 1.0f);  // the second "/"
  EXPECT_EQ(comment[19], 1.0f);  // "y"
  EXPECT_EQ(comment[20], 0.0f);  // the line break ends it
  EXPECT_EQ(comment[23], 0.0f);  // the "/" of "/*" (known only at the "*")
  EXPECT_EQ(comment[24], 1.0f);
  EXPECT_EQ(comment[29], 1.0f);  // the "/" of "*/"
  EXPECT_EQ(comment[31], 0.0f);  // "v"
  EXPECT_EQ(word[0], 1.0f);
  EXPECT_EQ(word[1], 0.0f);
}

TEST(NeuronRanking, ConstantPropertiesAreReportedNotRanked) {
  Trainer t = test::make_trainer(test::small_model_config(CellType::LSTM), test::small_train_config());
  const Inspection in = inspect_text(t.model(), "the early bird");
  for (const PropertyRanking& r : rank_neurons(in)) {
    if (r.property == "inside quotes" || r.property == "bracket depth") {
      EXPECT_FALSE(r.varies) << r.property;
      EXPECT_TRUE(r.best.empty());
    }
    if (r.property == "inside a word") {
      EXPECT_TRUE(r.varies);
      EXPECT_EQ(r.best.size(), 5u);
    }
  }
}

}  // namespace
}  // namespace charrnn

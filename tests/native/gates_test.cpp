// Gate saturation (inspection/gates.h): the inspection's gate values are the forward pass's own
// (the training forward leaves the same values in its activations, and an LSTM's h is o * tanh(c)
// of them), and the reported fractions are those values counted against 0.1 and 0.9.
#include <cmath>

#include "inspection/gates.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

class GatesTest : public ::testing::TestWithParam<CellType> {
 protected:
  void SetUp() override {
    Trainer t = test::make_trainer(test::small_model_config(GetParam(), 2), test::small_train_config());
    for (int i = 0; i < 20; i++) t.step();
    model_ = t.model();
    // Larger weights: gates that reach both saturated ends, so the counts are tested on both sides.
    for (float& p : model_.params) p *= 3.0f;
  }
  Model model_;
};

TEST_P(GatesTest, GateValuesAreTheForwardPasssOwn) {
  const std::string text = "The early bird catches the worm.\nAll that";
  InspectOptions options;
  options.keep_gates = true;
  const Inspection in = inspect_text(model_, text, options);
  const Cell& cell = model_.cell();
  const int N = in.chars, H = model_.config.hidden_size, L = model_.config.layers, S = cell.sigmoid_gates;
  ASSERT_EQ(in.gates_per_layer, S);
  ASSERT_EQ(in.gates.size(), static_cast<size_t>(L) * S * N * H);
  std::vector<int32_t> ids = model_.vocab.encode("\n" + text, "test");
  Activations acts;
  acts.allocate(model_.config, 1, N + 1);
  RecurrentState zero;
  zero.resize(model_.config, 1);
  model_forward(model_, acts, zero, ids.data(), nullptr, 1, N + 1, nullptr);
  for (int l = 0; l < L; l++)
    for (int g = 0; g < S; g++)
      for (int i = 0; i < N; i++)
        for (int u = 0; u < H; u++) {
          const float got = in.gates[((static_cast<size_t>(l) * S + g) * N + i) * H + u];
          // step i + 1 of the training forward read character i (step 0 the start line break)
          const std::vector<float>& forward_gates = acts.layers[static_cast<size_t>(l)].gates;  // [T, G*H]
          const float want = forward_gates[static_cast<size_t>(i + 1) * cell.gates * H + g * H + u];
          ASSERT_NEAR(got, want, 1e-5) << "layer " << l << " gate " << cell.gate_names[g] << " char " << i;
          if (cell.has_cell_state && g == 2) {  // the LSTM's output gate: h = o * tanh(c)
            const size_t at = (static_cast<size_t>(l) * N + i) * H + u;
            ASSERT_NEAR(in.h[at], got * in.c[at], 1e-5);
          }
        }
}

TEST_P(GatesTest, FractionsCountTheInspectionsGateValues) {
  const std::string text = "The quick brown fox jumps over the lazy dog.\nA journey of a thousand miles. Zebra";
  InspectOptions options;
  options.keep_gates = true;
  const Inspection in = inspect_text(model_, text, options);
  const GateSaturation s = gate_saturation(model_, text);
  const int N = in.chars, H = in.hidden, L = in.layers, S = in.gates_per_layer;
  ASSERT_EQ(s.gates, S);
  int64_t read = 0;
  for (int i = 0; i < N; i++) read += in.ids[static_cast<size_t>(i)] >= 0;
  ASSERT_LT(read, N) << "the text should hold a character outside the vocabulary (Z)";
  EXPECT_EQ(s.chars, read);
  bool any_left = false, any_right = false;
  for (int l = 0; l < L; l++)
    for (int g = 0; g < S; g++)
      for (int u = 0; u < H; u++) {
        int64_t left = 0, right = 0;
        for (int i = 0; i < N; i++) {
          if (in.ids[static_cast<size_t>(i)] < 0) continue;
          const float v = in.gates[((static_cast<size_t>(l) * S + g) * N + i) * H + u];
          left += v < 0.1f;
          right += v > 0.9f;
        }
        const size_t at = (static_cast<size_t>(l) * S + g) * H + u;
        ASSERT_FLOAT_EQ(s.left[at], static_cast<float>(left) / static_cast<float>(read)) << l << " " << g << " " << u;
        ASSERT_FLOAT_EQ(s.right[at], static_cast<float>(right) / static_cast<float>(read)) << l << " " << g << " " << u;
        any_left |= left > 0, any_right |= right > 0;
      }
  EXPECT_TRUE(any_left && any_right) << "no gate saturated on one side: the counts were not tested there";
  EXPECT_EQ(s.gate_names.front(), model_.cell().gate_names[0]);
}

INSTANTIATE_TEST_SUITE_P(Cells, GatesTest, ::testing::Values(CellType::LSTM, CellType::GRU),
                         [](const auto& info) { return std::string(cell_of(info.param).name); });

TEST(Gates, AnRnnHasNone) {
  const Model m =
      create_model_for_text(test::small_text(), test::small_model_config(CellType::RNN), test::small_train_config());
  EXPECT_THAT(test::error_message([&] { gate_saturation(m, "abc"); }), ::testing::HasSubstr("need an LSTM or a GRU"));
}

}  // namespace
}  // namespace charrnn

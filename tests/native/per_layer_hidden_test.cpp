// Per-layer hidden sizes (ModelConfig::hidden_sizes, RecurrentJS's hidden_sizes): the layout
// chains each layer's input to the width below, the settings are checked with messages that say
// what to do, model files store the sizes (and uniform models exactly what they always stored),
// hostile sizes in a file are refused, and a per-layer model trains, shards, resumes and is
// inspected like a uniform one. (The gradients: gradient_check_test.cpp; replicas:
// shard_replica_test.cpp.)
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "inspection/inspect.h"
#include "inspection/neurons.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

using nlohmann::json;
using test::error_message;
using test::HasSubstr;
using test::load_bytes;

ModelConfig per_layer_config(CellType cell, std::vector<int> sizes, float dropout = 0.0f) {
  ModelConfig c = test::small_model_config(cell, static_cast<int>(sizes.size()), dropout);
  set_hidden_sizes(c, sizes);
  return c;
}

std::vector<int> shape_of(const ParamLayout& layout, const std::string& name) {
  for (const TensorSlot& t : layout.tensors)
    if (t.name == name) return t.shape;
  return {};
}

TEST(PerLayerHidden, EachLayerReadsTheWidthBelowAndTheOutputReadsTheTop) {
  ModelConfig c = per_layer_config(CellType::LSTM, {24, 12, 6});
  c.vocab_size = 10;
  const ParamLayout p = make_layout(c);
  EXPECT_EQ(shape_of(p, "layer0.wx"), (std::vector<int>{8, 4 * 24}));  // E = 8
  EXPECT_EQ(shape_of(p, "layer0.wh"), (std::vector<int>{24, 4 * 24}));
  EXPECT_EQ(shape_of(p, "layer1.wx"), (std::vector<int>{24, 4 * 12}));
  EXPECT_EQ(shape_of(p, "layer1.wh"), (std::vector<int>{12, 4 * 12}));
  EXPECT_EQ(shape_of(p, "layer2.wx"), (std::vector<int>{12, 4 * 6}));
  EXPECT_EQ(shape_of(p, "layer2.b"), (std::vector<int>{4 * 6}));
  EXPECT_EQ(shape_of(p, "output.w"), (std::vector<int>{6, 10}));
  EXPECT_EQ(static_cast<double>(p.total), count_parameters(c));

  ModelConfig gru = per_layer_config(CellType::GRU, {9, 5});
  gru.vocab_size = 4;
  EXPECT_EQ(shape_of(make_layout(gru), "layer1.bhn"), (std::vector<int>{5}));
  EXPECT_EQ(static_cast<double>(make_layout(gru).total), count_parameters(gru));
}

TEST(PerLayerHidden, OneSizeOrEqualSizesAreTheUniformForm) {
  ModelConfig c;
  c.layers = 2;
  set_hidden_sizes(c, {64});
  EXPECT_FALSE(c.per_layer_hidden());
  EXPECT_EQ(c.hidden_size, 64);
  set_hidden_sizes(c, {32, 32});
  EXPECT_FALSE(c.per_layer_hidden());
  EXPECT_EQ(c.hidden_size, 32);
  set_hidden_sizes(c, {32, 16});
  EXPECT_TRUE(c.per_layer_hidden());
  EXPECT_EQ(c.hidden(0), 32);
  EXPECT_EQ(c.hidden(1), 16);
  EXPECT_EQ(c.top_hidden(), 16);
  EXPECT_EQ(c.widest_hidden(), 32);
  EXPECT_EQ(hidden_sizes_label(c), "32-16");
  set_hidden_sizes(c, {48});
  EXPECT_EQ(hidden_sizes_label(c), "48");
}

TEST(PerLayerHidden, ParsesOneSizeOrACommaList) {
  EXPECT_EQ(parse_hidden_sizes("128"), (std::vector<int>{128}));
  EXPECT_EQ(parse_hidden_sizes("256,128"), (std::vector<int>{256, 128}));
  EXPECT_EQ(parse_hidden_sizes(" 256 , 128 "), (std::vector<int>{256, 128}));
  for (const char* bad : {"", "abc", "256,", ",128", "256,,128", "-5", "2.5", "1e3", "256;128", "9999999999"})
    EXPECT_THAT(error_message([&] { parse_hidden_sizes(bad); }),
                HasSubstr("one per layer, bottom first, separated by commas (e.g. 256,128)"))
        << bad;
}

TEST(PerLayerHidden, ValidateSaysWhatToDo) {
  ModelConfig c = per_layer_config(CellType::LSTM, {32, 16});
  c.vocab_size = 10;
  EXPECT_NO_THROW(validate(c));
  c.layers = 3;
  EXPECT_THAT(error_message([&] { validate(c); }),
              HasSubstr("There are 2 hidden sizes for 3 layers: give one hidden size for every layer, or one per layer"));
  c.layers = 2;
  c.hidden_sizes = {32, 0};
  EXPECT_THAT(error_message([&] { validate(c); }), HasSubstr("hidden size of layer 2 must be between 1 and 1048576 (got 0)"));
  c.hidden_sizes = {-3, 16};
  EXPECT_THAT(error_message([&] { validate(c); }), HasSubstr("hidden size of layer 1 must be between 1 and"));
  c.hidden_sizes = {32, (1 << 20) + 1};
  EXPECT_THAT(error_message([&] { validate(c); }), HasSubstr("hidden size of layer 2 must be between"));
}

TEST(PerLayerHidden, MemoryEstimateFollowsTheLayersSizes) {
  TrainConfig t = test::small_train_config();
  ModelConfig small = test::small_model_config(CellType::LSTM, 2), large = small, mixed = small;
  small.vocab_size = large.vocab_size = mixed.vocab_size = 50;
  small.hidden_size = 64;
  large.hidden_size = 512;
  set_hidden_sizes(mixed, {512, 64});
  EXPECT_LT(estimate_training_bytes(small, t), estimate_training_bytes(mixed, t));
  EXPECT_LT(estimate_training_bytes(mixed, t), estimate_training_bytes(large, t));
  set_hidden_sizes(mixed, {8192, 8192 / 2});
  EXPECT_THAT(error_message([&] { check_memory(mixed, t, 64.0 * 1024 * 1024); }),
              HasSubstr("Lower the hidden size"));
}

class PerLayerModel : public ::testing::TestWithParam<CellType> {
 protected:
  ModelConfig config() const { return per_layer_config(GetParam(), {20, 10}, 0.2f); }
};

// The training loss falls (the small text's validation part is one proverb: too little to judge by).
TEST_P(PerLayerModel, LearnsTheText) {
  Trainer t = test::make_trainer(per_layer_config(GetParam(), {20, 10}), test::small_train_config());
  double first = 0, last = 0;
  for (int i = 0; i < 200; i++) {
    const StepResult r = t.step();
    ASSERT_FALSE(r.skipped);
    if (i < 10) first += r.loss / 10;
    if (i >= 190) last += r.loss / 10;
  }
  EXPECT_LT(last, first - 1.0);
}

TEST_P(PerLayerModel, ModelAndCheckpointSaveLoadSaveIsByteExactAndStoresTheSizes) {
  Trainer t = test::make_trainer(config(), test::small_train_config());
  for (int i = 0; i < 4; i++) t.step();
  const std::string model_file = save_model(t.model(), nullptr, {});
  const LoadedModel loaded = load_bytes(model_file);
  EXPECT_EQ(loaded.model.config.hidden_per_layer(), (std::vector<int>{20, 10}));
  EXPECT_TRUE(test::bit_identical(loaded.model.params, t.model().params));
  EXPECT_EQ(save_model(loaded.model, nullptr, {}), model_file);
  const json mc = test::meta_json(test::split_file(model_file), "model_config");
  EXPECT_EQ(mc["hidden_sizes"], json::array({20, 10}));

  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const std::string checkpoint_file = save_model(t.model(), &t, checkpoint);
  const LoadedModel c = load_bytes(checkpoint_file);
  ASSERT_TRUE(c.is_checkpoint);
  EXPECT_EQ(c.state.H, (std::vector<int>{20, 10}));
  Trainer resumed(c.model, c.train_config, test::small_text());
  restore_checkpoint(resumed, c);
  EXPECT_EQ(save_model(resumed.model(), &resumed, checkpoint), checkpoint_file);
  for (int i = 0; i < 5; i++) ASSERT_EQ(resumed.step().loss, t.step().loss) << "step " << i;
  EXPECT_TRUE(test::bit_identical(resumed.model().params, t.model().params));
}

TEST_P(PerLayerModel, ACheckpointOfOtherSizesIsRefused) {
  Trainer t = test::make_trainer(config(), test::small_train_config());
  t.step();
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const LoadedModel c = load_bytes(save_model(t.model(), &t, checkpoint));
  Trainer other = test::make_trainer(per_layer_config(GetParam(), {10, 20}, 0.2f), test::small_train_config());
  EXPECT_THAT(error_message([&] { restore_checkpoint(other, c); }), HasSubstr("does not match this model"));
}

TEST_P(PerLayerModel, TwoShardsTrainTheModelOfOneUpToFloatSums) {
  TrainConfig tc = test::small_train_config();
  tc.batch_size = 5;
  const Model m = create_model_for_text(test::small_text(), config(), tc);
  Trainer one(m, tc, test::small_text()), two(m, tc, test::small_text(), Parallelism{2, {}});
  for (int step = 0; step < 6; step++) {
    const StepResult a = one.step(), b = two.step();
    ASSERT_NEAR(a.loss, b.loss, 1e-4 * a.loss) << "step " << step;
  }
  EXPECT_NEAR(one.evaluate(), two.evaluate(), 1e-4);
}

// Inspection keeps the stride of the widest layer; a narrower layer's extra units are zeros that
// the neuron ranking never reports.
TEST_P(PerLayerModel, InspectionPadsNarrowLayersAndRankingSkipsThePadding) {
  Trainer t = test::make_trainer(per_layer_config(GetParam(), {6, 14}), test::small_train_config());
  for (int i = 0; i < 20; i++) t.step();
  const std::string text = "The early bird catches the worm.\n\"All\" (that) glitters";
  const Inspection in = inspect_text(t.model(), text, {3});
  EXPECT_EQ(in.hidden, 14);
  EXPECT_EQ(in.layer_hidden, (std::vector<int>{6, 14}));
  const size_t N = static_cast<size_t>(in.chars), H = 14;
  float top_layer_magnitude = 0.0f;
  for (size_t i = 0; i < N; i++) {
    for (size_t u = 6; u < H; u++) ASSERT_EQ(in.h[i * H + u], 0.0f) << "layer 1 padding, char " << i;
    for (size_t u = 0; u < H; u++) top_layer_magnitude += std::fabs(in.h[(N + i) * H + u]);
  }
  EXPECT_GT(top_layer_magnitude, 0.0f);
  for (const PropertyRanking& r : rank_neurons(in, 200))
    for (const NeuronScore& n : r.best) ASSERT_LT(n.unit, in.layer_hidden[static_cast<size_t>(n.layer)]) << r.property;
}

INSTANTIATE_TEST_SUITE_P(Cells, PerLayerModel, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

// Uniform models write exactly what they wrote before per-layer sizes (no 'hidden_sizes'), so
// files old and new are the same bytes; the shipped example models load and round-trip.
TEST(PerLayerHiddenFiles, UniformModelsStoreNoHiddenSizes) {
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU, 2), test::small_train_config());
  const json mc = test::meta_json(test::split_file(save_model(t.model(), nullptr, {})), "model_config");
  EXPECT_FALSE(mc.contains("hidden_sizes"));
  EXPECT_EQ(mc["hidden_size"], 16);
}

TEST(PerLayerHiddenFiles, ShippedExampleModelsLoadAsUniformAndRoundTrip) {
  for (const char* name : {"shakespeare.safetensors", "names.safetensors"}) {
    SCOPED_TRACE(name);
    std::ifstream in(std::string(CHARRNN_EXAMPLE_MODELS_DIR) + "/" + name, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read the example model";
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const LoadedModel m = load_bytes(bytes);
    EXPECT_FALSE(m.model.config.per_layer_hidden());
    EXPECT_EQ(to_json(m.model.config).find("hidden_sizes"), std::string::npos);
    const std::string saved = save_model(m.model, nullptr, {});
    EXPECT_EQ(save_model(load_bytes(saved).model, nullptr, {}), saved);
  }
}

class PerLayerHostileFile : public ::testing::Test {
 protected:
  static std::string file() {
    static const std::string f = [] {
      Trainer t = test::make_trainer(per_layer_config(CellType::LSTM, {12, 6}), test::small_train_config());
      t.step();
      return save_model(t.model(), nullptr, {});
    }();
    return f;
  }
  static std::string load_error_with(const json& hidden_sizes) {
    test::FileParts p = test::split_file(file());
    json mc = test::meta_json(p, "model_config");
    mc["hidden_sizes"] = hidden_sizes;
    test::set_meta_json(p, "model_config", mc);
    return error_message([&] { load_bytes(test::join_file(p)); });
  }
};

TEST_F(PerLayerHostileFile, TheUneditedFileLoads) { EXPECT_NO_THROW(load_bytes(file())); }

TEST_F(PerLayerHostileFile, BadSizesAreRefusedWithAMessage) {
  struct Case {
    json value;
    const char* message;
  };
  const std::vector<Case> cases = {
      {json::array({12}), "There are 1 hidden sizes for 2 layers"},
      {json::array({12, 6, 3}), "There are 3 hidden sizes for 2 layers"},
      {json::array({12, -6}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, 0}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, 4294967302LL}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, 1e300}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, 6.0}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, 6.5}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, "6"}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, nullptr}), "each size must be a whole number from 1 to 1048576"},
      {json::array({12, json::array({6})}), "each size must be a whole number from 1 to 1048576"},
      {json::array(), "not a list of 1 to 64 sizes"},
      {json(std::vector<int>(65, 4)), "not a list of 1 to 64 sizes"},
      {"12,6", "not a list of 1 to 64 sizes"},
      {12, "not a list of 1 to 64 sizes"},
      {json::object(), "not a list of 1 to 64 sizes"},
      // Valid sizes that disagree with the tensors, and sizes far larger than the file.
      {json::array({6, 12}), "but the configuration says"},
      {json::array({1 << 20, 1 << 20}), "parameters but the file holds fewer"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value.dump());
    const std::string message = load_error_with(c.value);
    EXPECT_THAT(message, HasSubstr(c.message));
  }
  EXPECT_THAT(load_error_with(json::array({12, 6.5})), HasSubstr("This model file cannot be used: its model configuration has an invalid 'hidden_sizes'"));
}

}  // namespace
}  // namespace charrnn

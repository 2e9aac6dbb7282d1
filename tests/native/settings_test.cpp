// The settings table (core/model/settings.cpp) drives validation and the model file's JSON: every
// default passes, every number just outside its range is refused with a message naming the
// setting, every setting round-trips through a model file's JSON, and that JSON is what it was
// before the table existed (the shipped models and other engines read it).
#include <cmath>
#include <limits>
#include <set>

#include "generation/sampler.h"
#include "model/settings.h"
#include "test_helpers.h"

namespace charrnn::test {
namespace {

// The defaults, with the vocabulary a text would give (its default 0 means "not set yet").
ModelConfig default_model() {
  ModelConfig m;
  m.vocab_size = 65;
  return m;
}

std::string validation_error(const ModelConfig& m, const TrainConfig& t) {
  return error_message([&] {
    validate(m);
    validate(t);
  });
}

TEST(Settings, NamesAreUniqueAndEveryMemberHasALine) {
  std::set<std::string> keys, json_names, cli_train, cli_sample;
  for (const Setting& s : settings()) {
    EXPECT_TRUE(keys.insert(s.key).second) << s.key;
    if (s.json) EXPECT_TRUE(json_names.insert(s.json).second) << s.json;
    auto& flags = setting_group(s) == std::string("sample") ? cli_sample : cli_train;
    if (s.cli) EXPECT_TRUE(flags.insert(s.cli).second) << s.cli;
    EXPECT_STRNE(s.label, "");
    EXPECT_STRNE(s.help, "");
  }
  // A member added to a settings struct without a line here would be missing from model files,
  // the JS API and the CLI: the structs' sizes catch most such additions.
  EXPECT_EQ(json_names.size(), 22u);
  EXPECT_EQ(settings().size(), 26u);
}

TEST(Settings, EveryDefaultPassesValidation) {
  EXPECT_EQ(validation_error(default_model(), TrainConfig{}), "<no error thrown>");
}

// For each number the table bounds: the bounds pass, one step outside is refused, naming it.
TEST(Settings, TheTableDrivesValidation) {
  int checked = 0;
  const auto expect_refused = [&](const Setting& s, const ModelConfig& m, const TrainConfig& t, double value) {
    const std::string error = validation_error(m, t);
    EXPECT_THAT(error, HasSubstr(std::string("The ") + s.label + " must be between")) << s.key << " = " << value;
    checked++;
  };
  const auto each = [&](auto config_tag) {
    using Config = decltype(config_tag);
    for_each_setting<Config>([&](const Setting& s, auto member) {
      using Value = typename member_traits<decltype(member)>::value;
      if constexpr (std::is_same_v<Value, int> || std::is_same_v<Value, float>) {
        for (double edge : {s.min, s.max}) {
          const double outside = edge == s.min ? (std::is_same_v<Value, int> ? s.min - 1 : s.min - 0.5)
                                               : (std::is_same_v<Value, int> ? s.max + 1 : s.max * 1.5 + 1);
          for (double value : {edge, outside}) {
            ModelConfig m = default_model();
            TrainConfig t;
            Config& c = [&]() -> Config& {
              if constexpr (std::is_same_v<Config, ModelConfig>) return m;
              else return t;
            }();
            c.*member = static_cast<Value>(value);
            if (value == edge) EXPECT_EQ(validation_error(m, t), "<no error thrown>") << s.key << " = " << value;
            else expect_refused(s, m, t, value);
          }
        }
      }
    });
  };
  each(ModelConfig{});
  each(TrainConfig{});
  EXPECT_EQ(checked, 2 * 17);  // every int and float of the model and its training, below and above
}

TEST(Settings, ValidationMessagesAreAsBefore) {
  ModelConfig m = default_model();
  TrainConfig t;
  t.batch_size = 0;
  EXPECT_EQ(validation_error(m, t), "The batch size must be between 1 and 65536 (got 0).");
  t = {};
  t.adam_beta2 = 2;
  EXPECT_EQ(validation_error(m, t), "The Adam beta2 must be between 0 and 0.99999 (got 2).");
  m.dropout = NAN;
  EXPECT_EQ(validation_error(m, {}), "The dropout must be between 0 and 0.95 (got nan).");
  m = default_model();
  m.hidden_sizes = {64, 0};
  EXPECT_EQ(validation_error(m, {}), "The hidden size of layer 2 must be between 1 and 1048576 (got 0).");
}

// Every setting a model file stores, set away from its default, comes back from the file's JSON.
TEST(Settings, EverySettingRoundTripsThroughJson) {
  ModelConfig m = default_model();
  TrainConfig t;
  int changed = 0;
  const auto change = [&](auto& config) {
    using Config = std::decay_t<decltype(config)>;
    for_each_setting<Config>([&](const Setting& s, auto member) {
      using Value = typename member_traits<decltype(member)>::value;
      if (!s.json) return;
      auto& v = config.*member;
      if constexpr (std::is_same_v<Value, CellType>) v = CellType::GRU;
      else if constexpr (std::is_same_v<Value, OptimizerType>) v = OptimizerType::Adagrad;
      else if constexpr (std::is_same_v<Value, bool>) v = !v;
      else if constexpr (std::is_same_v<Value, uint64_t>) v = std::numeric_limits<uint64_t>::max() - 7;
      else if constexpr (std::is_same_v<Value, std::vector<int>>) v = {96, 48};  // with the 2 layers
      else if constexpr (std::is_same_v<Value, float>) v = static_cast<float>(s.min + (s.max - s.min) / 3);
      else v = static_cast<int>(s.min) + 1;
      changed++;
    });
  };
  change(m);
  change(t);
  m.layers = 2;  // the list of sizes needs as many layers (layers' own change was to its min + 1)
  EXPECT_EQ(changed, 22);
  const ModelConfig m2 = model_config_from_json(to_json(m));
  const TrainConfig t2 = train_config_from_json(to_json(t));
  for_each_setting<ModelConfig>([&](const Setting& s, auto member) {
    if (s.json) EXPECT_TRUE(m2.*member == m.*member) << s.key;
  });
  for_each_setting<TrainConfig>([&](const Setting& s, auto member) {
    if (s.json) EXPECT_TRUE(t2.*member == t.*member) << s.key;
  });
  EXPECT_EQ(to_json(m2), to_json(m));
  EXPECT_EQ(to_json(t2), to_json(t));
}

// The model file's JSON, byte for byte as the engine wrote it before the settings table.
TEST(Settings, ModelFileJsonIsUnchanged) {
  ModelConfig m = default_model();
  EXPECT_EQ(to_json(m), R"({"cell":"lstm","dropout":0.0,"embed_size":32,"hidden_size":128,"layers":2,"vocab_size":65})");
  m.hidden_sizes = {256, 128};
  m.hidden_size = 256;
  m.cell = CellType::GRU;
  m.dropout = 0.05f;
  EXPECT_EQ(to_json(m), R"({"cell":"gru","dropout":0.05000000074505806,"embed_size":32,"hidden_size":256,)"
                        R"("hidden_sizes":[256,128],"layers":2,"vocab_size":65})");
  TrainConfig t;
  EXPECT_EQ(to_json(t),
            R"({"adam_beta1":0.8999999761581421,"adam_beta2":0.9990000128746033,"batch_size":32,"grad_clip":5.0,)"
            R"("grad_clip_value":0.0,"l2":0.0,"learning_rate":0.0020000000949949026,"lines":false,"lr_decay":1.0,)"
            R"("lr_decay_every":0,"optimizer":"rmsprop","rmsprop_decay":0.949999988079071,"seed":"42","seq_len":50,)"
            R"("val_fraction":0.10000000149011612})");
  t.optimizer = OptimizerType::Adam;
  t.learning_rate = 3e-3f;
  t.lines = true;
  t.seed = 18446744073709551615ull;
  t.lr_decay = 0.9f;
  t.lr_decay_every = 250;
  EXPECT_EQ(to_json(t),
            R"({"adam_beta1":0.8999999761581421,"adam_beta2":0.9990000128746033,"batch_size":32,"grad_clip":5.0,)"
            R"("grad_clip_value":0.0,"l2":0.0,"learning_rate":0.003000000026077032,"lines":true,"lr_decay":0.8999999761581421,)"
            R"("lr_decay_every":250,"optimizer":"adam","rmsprop_decay":0.949999988079071,"seed":"18446744073709551615",)"
            R"("seq_len":50,"val_fraction":0.10000000149011612})");
}

// Files from before per-layer sizes and the lines mode lack those keys: their defaults then.
TEST(Settings, OlderFilesLackTheOptionalSettings) {
  const ModelConfig m = model_config_from_json(R"({"cell":"rnn","dropout":0,"embed_size":4,"hidden_size":8,"layers":1,"vocab_size":3})");
  EXPECT_TRUE(m.hidden_sizes.empty());
  std::string old = to_json(TrainConfig{});
  old.erase(old.find(R"("lines":false,)"), std::string(R"("lines":false,)").size());
  EXPECT_FALSE(train_config_from_json(old).lines);
  std::string missing = to_json(TrainConfig{});
  missing.erase(missing.find(R"("seq_len":50,)"), std::string(R"("seq_len":50,)").size());
  EXPECT_THAT(error_message([&] { train_config_from_json(missing); }), HasSubstr("has no 'seq_len'"));
}

TEST(Settings, SchemaListsEverySettingWithItsDefault) {
  const nlohmann::json schema = nlohmann::json::parse(settings_schema_json());
  ASSERT_EQ(schema.size(), settings().size());
  const auto find = [&](const std::string& key) {
    for (const auto& s : schema)
      if (s["key"] == key) return s;
    return nlohmann::json();
  };
  EXPECT_EQ(find("learning_rate")["default"], 0.002);
  EXPECT_EQ(find("learning_rate")["cli"], "--lr");
  EXPECT_EQ(find("learning_rate")["js"], "learningRate");
  EXPECT_EQ(find("adam_beta2")["max"], 0.99999);
  EXPECT_EQ(find("cell")["choices"], nlohmann::json({"rnn", "lstm", "gru"}));
  EXPECT_EQ(find("cell")["default"], "lstm");
  EXPECT_EQ(find("seed")["default"], 42);
  EXPECT_EQ(find("seed")["max"], std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(find("hidden_sizes")["type"], "int list");
  EXPECT_EQ(find("temperature")["group"], "sample");
  EXPECT_EQ(find("temperature")["json"], nullptr);
  EXPECT_EQ(find("embed_size")["architectural"], true);
  EXPECT_EQ(find("dropout")["architectural"], false);
}

}  // namespace
}  // namespace charrnn::test

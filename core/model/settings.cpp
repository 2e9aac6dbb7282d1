#include "model/settings.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "errors.h"

namespace charrnn {

namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();
constexpr double kSeedMax = 18446744073709551615.0;  // 2^64 - 1 (any uint64_t)
constexpr double kSizeMax = 1 << 20;  // sizes are bounded loosely: check_memory() refuses what would not fit

// Adding a setting: add its member (with its default) to ModelConfig, TrainConfig or
// SampleOptions, add one line here, and use it where it takes effect (the trainer, the sampler).
// validate(), the model file's JSON, the JS API's value objects, the CLI's flag (when it has
// one) and the schema follow from the line. A setting new to model files is optional_in_files:
// files written before it lack it, and read as its default.
//
// Ranges are inclusive. Order: the CLI lists flags in this order, validate() checks in it.
// Made on first use (not at start-up): the Embind value objects are registered by another file's
// static initialiser, which may run first.
const std::vector<Setting>& table() {
  static const std::vector<Setting> settings = {
      // key, field, json, js, cli, label, min, max, architectural, optional_in_files, help
      // --- model (ModelConfig)
      {"cell", &ModelConfig::cell, "cell", "cell", "--cell", "cell type", 0, 0, true, false,
       "Recurrent cell: lstm, gru or rnn"},
      {"vocab_size", &ModelConfig::vocab_size, "vocab_size", "vocabSize", nullptr, "vocabulary size", 2, kSizeMax, true,
       false, "Distinct characters of the text (set from the text, not chosen)"},
      {"layers", &ModelConfig::layers, "layers", "layers", "--layers", "number of layers", 1, 64, true, false,
       "Number of recurrent layers"},
      // The CLI's --hidden takes one size or one per layer, and sets hidden_sizes too (set_hidden_sizes).
      {"hidden_size", &ModelConfig::hidden_size, "hidden_size", "hiddenSize", "--hidden", "hidden size", 1, kSizeMax, true,
       false, "Hidden units per layer: one size for every layer, or one per layer, bottom first (256,128)"},
      {"hidden_sizes", &ModelConfig::hidden_sizes, "hidden_sizes", "hiddenSizes", nullptr, "hidden sizes", 1, kSizeMax, true,
       true, "Per-layer hidden sizes, bottom layer first, one per layer ([]: every layer has the hidden size)"},
      {"embed_size", &ModelConfig::embed_size, "embed_size", "embedSize", "--embed", "embedding size", 1, kSizeMax, true,
       false, "Character embedding size"},
      {"dropout", &ModelConfig::dropout, "dropout", "dropout", "--dropout", "dropout", 0, 0.95, false, false,
       "Dropout between layers and before the output layer (0 to 0.95)"},
      // --- training (TrainConfig)
      {"val_fraction", &TrainConfig::val_fraction, "val_fraction", "valFraction", "--val-fraction", "validation fraction",
       0, 0.5, false, false,
       "Fraction of the text, from its end, held out for validation (with --lines: of the lines, whole lines spread "
       "through the text; 0 holds none out, as memorising a list wants)"},
      {"lines", &TrainConfig::lines, "lines", "lines", "--lines", "lines mode", 0, 0, false, true,
       "Treat each line as an example: each starts from a fresh state, as a sample does, and the model learns whole "
       "lines (a list of names, sentences to memorise)"},
      {"seq_len", &TrainConfig::seq_len, "seq_len", "seqLen", "--seq-len", "sequence length", 1, 1 << 16, false, false,
       "Characters per sequence (steps of backpropagation through time)"},
      {"batch_size", &TrainConfig::batch_size, "batch_size", "batchSize", "--batch", "batch size", 1, 1 << 16, false, false,
       "Sequences per batch (parallel streams through the text)"},
      {"optimizer", &TrainConfig::optimizer, "optimizer", "optimizer", "--optimizer", "optimiser", 0, 0, false, false,
       "Optimiser: rmsprop, adam or adagrad"},
      {"learning_rate", &TrainConfig::learning_rate, "learning_rate", "learningRate", "--lr", "learning rate", 0, 1e4,
       false, false, "Learning rate"},
      {"lr_decay", &TrainConfig::lr_decay, "lr_decay", "lrDecay", "--lr-decay", "learning-rate decay", 0, 1, false, false,
       "Multiply the learning rate by this every --lr-decay-every steps"},
      {"lr_decay_every", &TrainConfig::lr_decay_every, "lr_decay_every", "lrDecayEvery", "--lr-decay-every",
       "learning-rate decay interval", 0, 1 << 30, false, false, "Steps between learning-rate decays (0: never)"},
      {"rmsprop_decay", &TrainConfig::rmsprop_decay, "rmsprop_decay", "rmspropDecay", nullptr, "RMSProp decay", 0, 0.9999,
       false, false, "RMSProp's decay of its running mean of squared gradients"},
      {"adam_beta1", &TrainConfig::adam_beta1, "adam_beta1", "adamBeta1", nullptr, "Adam beta1", 0, 0.9999, false, false,
       "Adam's decay of its running mean of gradients"},
      {"adam_beta2", &TrainConfig::adam_beta2, "adam_beta2", "adamBeta2", nullptr, "Adam beta2", 0, 0.99999, false, false,
       "Adam's decay of its running mean of squared gradients"},
      {"grad_clip", &TrainConfig::grad_clip, "grad_clip", "gradClip", "--grad-clip", "gradient clip", 0, 1e6, false, false,
       "Clip the global gradient norm to this (0: off)"},
      {"grad_clip_value", &TrainConfig::grad_clip_value, "grad_clip_value", "gradClipValue", "--grad-clip-value",
       "elementwise gradient clip", 0, 1e6, false, false, "Clip each gradient element to [-v, v] (0: off)"},
      {"l2", &TrainConfig::l2, "l2", "l2", "--l2", "L2 regularisation", 0, 1, false, false,
       "L2 weight decay on the weight matrices"},
      {"seed", &TrainConfig::seed, "seed", "seed", "--seed", "seed", 0, kSeedMax, false, false,
       "Random seed: same seed, same settings and text, same model"},
      // --- samples (SampleOptions)
      {"temperature", &SampleOptions::temperature, nullptr, "temperature", "--temperature", "temperature", 0.01, 100,
       false, false, "Lower is more conservative, higher more surprising"},
      {"argmax", &SampleOptions::argmax, nullptr, "argmax", "--argmax", "argmax", 0, 0, false, false,
       "Always take the most likely character (ignores temperature and seed)"},
      {"top_k", &SampleOptions::top_k, nullptr, "topK", "--top-k", "top-k", 0, kIntMax, false, false,
       "Draw only from the k most likely characters (0: all)"},
      {"sample_seed", &SampleOptions::seed, nullptr, "seed", "--seed", "seed", 0, kSeedMax, false, false,
       "Random seed: same seed, same sample"},
  };
  return settings;
}

using nlohmann::json;

template <typename Value>
constexpr bool is_choice = std::is_enum_v<Value>;

std::vector<std::string> choices_of(CellType ModelConfig::*) {
  std::vector<std::string> names;
  for (auto c : {CellType::RNN, CellType::LSTM, CellType::GRU}) names.push_back(cell_name(c));
  return names;
}
std::vector<std::string> choices_of(OptimizerType TrainConfig::*) {
  std::vector<std::string> names;
  for (auto o : {OptimizerType::RMSProp, OptimizerType::Adam, OptimizerType::Adagrad}) names.push_back(optimizer_name(o));
  return names;
}

json default_of(CellType v) { return cell_name(v); }
json default_of(OptimizerType v) { return optimizer_name(v); }
json default_of(float v) { return shortest_float(v); }
template <typename Value>
json default_of(const Value& v) {
  return v;
}

}  // namespace

const std::vector<Setting>& settings() { return table(); }

const Setting& setting_of(const SettingField& field) {
  for (const Setting& s : table())
    if (s.field == field) return s;
  throw Error("Internal error: a setting is missing from the settings table (core/model/settings.cpp).");
}

const char* setting_group(const Setting& s) {
  return std::visit(
      [](auto member) {
        using Config = typename member_traits<decltype(member)>::config;
        if constexpr (std::is_same_v<Config, ModelConfig>) return "model";
        else if constexpr (std::is_same_v<Config, TrainConfig>) return "train";
        else return "sample";
      },
      s.field);
}

const char* setting_type(const Setting& s) {
  return std::visit(
      [](auto member) {
        using Value = typename member_traits<decltype(member)>::value;
        if constexpr (is_choice<Value>) return "choice";
        else if constexpr (std::is_same_v<Value, bool>) return "bool";
        else if constexpr (std::is_same_v<Value, float>) return "float";
        else if constexpr (std::is_same_v<Value, std::vector<int>>) return "int list";
        else return "int";
      },
      s.field);
}

double shortest_float(float value) {
  char buf[32];
  for (int digits = 1; digits <= 9; digits++) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(value));
    if (std::strtof(buf, nullptr) == value) break;
  }
  return std::strtod(buf, nullptr);
}

std::string settings_schema_json() {
  json out = json::array();
  for (const Setting& s : table()) {
    const auto name = [](const char* text) { return text ? json(text) : json(nullptr); };
    json o{{"key", s.key},         {"json", name(s.json)}, {"js", s.js},
           {"cli", name(s.cli)},   {"label", s.label},     {"type", setting_type(s)},
           {"min", nullptr},       {"max", nullptr},       {"choices", nullptr},
           {"default", nullptr},   {"group", setting_group(s)},
           {"architectural", s.architectural},             {"help", s.help}};
    std::visit(
        [&](auto member) {
          using Value = typename member_traits<decltype(member)>::value;
          using Config = typename member_traits<decltype(member)>::config;
          o["default"] = default_of(Config{}.*member);
          if constexpr (is_choice<Value>) {
            o["choices"] = choices_of(member);
          } else if constexpr (std::is_same_v<Value, float>) {
            o["min"] = shortest_float(static_cast<float>(s.min));
            o["max"] = shortest_float(static_cast<float>(s.max));
          } else if constexpr (std::is_same_v<Value, uint64_t>) {
            o["min"] = static_cast<uint64_t>(s.min);
            o["max"] = std::numeric_limits<uint64_t>::max();  // s.max is 2^64 - 1 rounded up in a double
          } else if constexpr (!std::is_same_v<Value, bool>) {
            o["min"] = static_cast<int64_t>(s.min);
            o["max"] = static_cast<int64_t>(s.max);
          }
        },
        s.field);
    out.push_back(o);
  }
  return out.dump(2);
}

}  // namespace charrnn

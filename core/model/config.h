// Model and training settings, their defaults, and the checks that refuse nonsense before
// anything is allocated.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace charrnn {

enum class CellType { RNN = 0, LSTM = 1, GRU = 2 };
enum class OptimizerType { RMSProp = 0, Adam = 1, Adagrad = 2 };

const char* cell_name(CellType cell);  // from the cell table (cells.h)
CellType parse_cell(const std::string& name);  // "rnn" | "lstm" | "gru"; throws naming the choices
const char* optimizer_name(OptimizerType opt);
OptimizerType parse_optimizer(const std::string& name);  // "rmsprop" | "adam" | "adagrad"

struct ModelConfig {
  CellType cell = CellType::LSTM;
  int vocab_size = 0;  // V, set from the text's vocabulary
  int embed_size = 32;  // E
  int hidden_size = 128;  // H of every layer, unless hidden_sizes gives each layer its own
  // Per-layer hidden sizes, bottom layer first (RecurrentJS's hidden_sizes): empty means every
  // layer has hidden_size, otherwise exactly `layers` sizes. Read sizes through hidden(l) only.
  std::vector<int> hidden_sizes;
  int layers = 2;
  float dropout = 0.0f;  // between layers and before the output layer, training only

  // H_l, layer l's hidden size (0 = bottom). Layer l's input is H_{l-1} (E for layer 0), and the
  // output layer reads the top layer's H_{L-1}.
  int hidden(int layer) const {
    return hidden_sizes.empty() ? hidden_size : hidden_sizes[static_cast<size_t>(layer)];
  }
  int top_hidden() const { return hidden(layers - 1); }
  int widest_hidden() const;  // max over layers of H_l
  bool per_layer_hidden() const { return !hidden_sizes.empty(); }
  std::vector<int> hidden_per_layer() const;  // H_0..H_{L-1}
};

// Sets the layers' hidden sizes from one size for all layers or one per layer: one size, or
// `layers` equal ones, become the uniform form (hidden_size, no hidden_sizes), so a uniform model
// is stored as it always was. Any other list is kept as given for validate() to judge.
void set_hidden_sizes(ModelConfig& model, const std::vector<int>& sizes);
// "256" or "256,128" (spaces allowed) into sizes; throws charrnn::Error saying how to write it.
std::vector<int> parse_hidden_sizes(const std::string& text);
// "128" for a uniform model, "256-128" for per-layer sizes: for names and messages.
std::string hidden_sizes_label(const ModelConfig& model);

struct TrainConfig {
  int batch_size = 32;  // B parallel streams through the text
  int seq_len = 50;  // T, steps of truncated backpropagation through time
  OptimizerType optimizer = OptimizerType::RMSProp;
  float learning_rate = 2e-3f;
  float lr_decay = 1.0f;  // the learning rate is multiplied by this every lr_decay_every steps
  int lr_decay_every = 0;  // 0: never decay
  float rmsprop_decay = 0.95f;  // char-rnn's default
  float adam_beta1 = 0.9f;
  float adam_beta2 = 0.999f;
  float grad_clip = 5.0f;  // clip the global gradient norm to this; 0: off
  float grad_clip_value = 0.0f;  // clip each gradient element to [-v, v] (RecurrentJS); 0: off
  float l2 = 0.0f;  // weight decay on weight matrices (not biases)
  float val_fraction = 0.1f;  // the last part of the text is held out for validation (lines: that share of lines)
  // Each line is one example from a fresh state (line_examples.h), not the text one stream; a
  // model trained so samples whole lines.
  bool lines = false;
  uint64_t seed = 42;
};

// Upper bound on what one model may take: WASM32 has at most 4 GiB, a tab usually far less.
constexpr double kMaxTrainingBytes = 2.0 * 1024 * 1024 * 1024;

// Throws charrnn::Error naming the setting and the allowed range.
void validate(const ModelConfig& model);
// The layers and their hidden sizes alone (part of validate()).
void validate_hidden_sizes(const ModelConfig& model);
void validate(const TrainConfig& train);

// Bytes the parameters, gradients, optimiser state and activations of a training run would take,
// with its batch split into `shards` (each has its own gradient buffer). Checks the layers' hidden
// sizes first (not the rest: the page asks before it knows the vocabulary).
double estimate_training_bytes(const ModelConfig& model, const TrainConfig& train, int shards = 1);
// Throws with the estimated memory when a configuration would not fit.
void check_memory(const ModelConfig& model, const TrainConfig& train, double limit_bytes = kMaxTrainingBytes,
                  int shards = 1);

// JSON forms used in model files and by the bindings' error messages.
std::string to_json(const ModelConfig& model);
std::string to_json(const TrainConfig& train);
ModelConfig model_config_from_json(const std::string& json);  // throws on missing or invalid fields
TrainConfig train_config_from_json(const std::string& json);

}  // namespace charrnn

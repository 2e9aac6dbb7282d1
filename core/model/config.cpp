#include "model/config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

#include "model/cells.h"
#include "errors.h"
#include "json_numbers.h"
#include "model/param_layout.h"

namespace charrnn {

using nlohmann::json;

const char* cell_name(CellType cell) { return cell_of(cell).name; }

CellType parse_cell(const std::string& name) {
  if (const Cell* c = find_cell(name.c_str())) return c->type;
  throw Error("Unknown cell type '" + name + "': use " + cell_names() + ".");
}

const char* optimizer_name(OptimizerType opt) {
  switch (opt) {
    case OptimizerType::RMSProp: return "rmsprop";
    case OptimizerType::Adam: return "adam";
    case OptimizerType::Adagrad: return "adagrad";
  }
  return "?";
}

OptimizerType parse_optimizer(const std::string& name) {
  if (name == "rmsprop") return OptimizerType::RMSProp;
  if (name == "adam") return OptimizerType::Adam;
  if (name == "adagrad") return OptimizerType::Adagrad;
  throw Error("Unknown optimiser '" + name + "': use rmsprop, adam or adagrad.");
}

int ModelConfig::widest_hidden() const {
  int widest = 0;
  for (int l = 0; l < layers; l++) widest = std::max(widest, hidden(l));
  return widest;
}

std::vector<int> ModelConfig::hidden_per_layer() const {
  std::vector<int> sizes;
  for (int l = 0; l < layers; l++) sizes.push_back(hidden(l));
  return sizes;
}

void set_hidden_sizes(ModelConfig& m, const std::vector<int>& sizes) {
  const bool uniform = !sizes.empty() && std::all_of(sizes.begin(), sizes.end(), [&](int h) { return h == sizes[0]; });
  if (sizes.size() == 1 || (uniform && static_cast<int>(sizes.size()) == m.layers)) {
    m.hidden_size = sizes[0];
    m.hidden_sizes.clear();
  } else {
    m.hidden_size = sizes.empty() ? m.hidden_size : sizes[0];
    m.hidden_sizes = sizes;
  }
}

std::vector<int> parse_hidden_sizes(const std::string& text) {
  const std::string how = "Write the hidden size as one whole number for every layer (e.g. 128) or one per layer, "
                          "bottom first, separated by commas (e.g. 256,128)";
  std::vector<int> sizes;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t first = part.find_first_not_of(" \t"), last = part.find_last_not_of(" \t");
    part = first == std::string::npos ? "" : part.substr(first, last - first + 1);
    if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos)
      throw Error(how + " (got '" + text.substr(0, 60) + "').");
    sizes.push_back(std::stoi(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return sizes;
}

std::string hidden_sizes_label(const ModelConfig& m) {
  if (!m.per_layer_hidden()) return std::to_string(m.hidden_size);
  std::string label;
  for (int h : m.hidden_sizes) label += (label.empty() ? "" : "-") + std::to_string(h);
  return label;
}

namespace {

void check_int(const char* name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi)
    throw Error(std::string("The ") + name + " must be between " + std::to_string(lo) + " and " +
                std::to_string(hi) + " (got " + std::to_string(value) + ").");
}

void check_float(const char* name, float value, float lo, float hi) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "The %s must be between %g and %g (got %g).", name, lo, hi, value);
    throw Error(buf);
  }
}

std::string format_bytes(double bytes) {
  char buf[64];
  if (bytes >= 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  else if (bytes >= 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024));
  else std::snprintf(buf, sizeof buf, "%.0f KiB", bytes / 1024.0);  // not "0.0 MiB"
  return buf;
}

}  // namespace

void validate_hidden_sizes(const ModelConfig& m) {
  check_int("number of layers", m.layers, 1, 64);
  if (!m.per_layer_hidden()) {
    check_int("hidden size", m.hidden_size, 1, 1 << 20);
    return;
  }
  if (static_cast<int>(m.hidden_sizes.size()) != m.layers)
    throw Error("There are " + std::to_string(m.hidden_sizes.size()) + " hidden sizes for " + std::to_string(m.layers) +
                " layers: give one hidden size for every layer, or one per layer (as many as the layers).");
  for (int l = 0; l < m.layers; l++)
    check_int(("hidden size of layer " + std::to_string(l + 1)).c_str(), m.hidden(l), 1, 1 << 20);
}

void validate(const ModelConfig& m) {
  cell_of(m.cell);  // throws for a value outside the enum
  check_int("vocabulary size", m.vocab_size, 2, 1 << 20);
  // Sizes are only bounded loosely here: check_memory() refuses what would not fit, and says why.
  check_int("embedding size", m.embed_size, 1, 1 << 20);
  validate_hidden_sizes(m);
  check_float("dropout", m.dropout, 0.0f, 0.95f);
}

void validate(const TrainConfig& t) {
  if (std::string(optimizer_name(t.optimizer)) == "?") throw Error("Unknown optimiser: use rmsprop, adam or adagrad.");
  check_int("batch size", t.batch_size, 1, 1 << 16);
  check_int("sequence length", t.seq_len, 1, 1 << 16);
  check_float("learning rate", t.learning_rate, 0.0f, 1e4f);
  check_float("learning-rate decay", t.lr_decay, 0.0f, 1.0f);
  check_int("learning-rate decay interval", t.lr_decay_every, 0, 1 << 30);
  check_float("RMSProp decay", t.rmsprop_decay, 0.0f, 0.9999f);
  check_float("Adam beta1", t.adam_beta1, 0.0f, 0.9999f);
  check_float("Adam beta2", t.adam_beta2, 0.0f, 0.99999f);
  check_float("gradient clip", t.grad_clip, 0.0f, 1e6f);
  check_float("elementwise gradient clip", t.grad_clip_value, 0.0f, 1e6f);
  check_float("L2 regularisation", t.l2, 0.0f, 1.0f);
  check_float("validation fraction", t.val_fraction, 0.0f, 0.5f);
}

double estimate_training_bytes(const ModelConfig& m, const TrainConfig& t, int shards) {
  validate_hidden_sizes(m);  // hidden(l) reads one size per layer: a list of another length is refused first
  const double params = static_cast<double>(count_parameters(m));
  const double G = cell_of(m.cell).gates, V = m.vocab_size, E = m.embed_size;
  const double rows = static_cast<double>(t.batch_size) * t.seq_len;
  // Per layer and row: input, hidden states, gate pre/post activations and their gradients, cell
  // states. The backward buffers shared by all layers are sized for the widest (counted per layer:
  // an overestimate, as before).
  const double widest = std::max<double>(E, m.widest_hidden());
  double per_row = V * 2 + E;
  for (int l = 0; l < m.layers; l++) {
    const double H = m.hidden(l);
    per_row += widest * 2 + H * 6 + G * H * 4;
  }
  const double activations = rows * per_row;
  // Parameters, one gradient buffer per shard, up to two optimiser moments, and the rollback
  // point's copy of the parameters and moments, all float32.
  return 4.0 * (params * (3 + std::max(1, shards) + 3) + activations);
}

void check_memory(const ModelConfig& m, const TrainConfig& t, double limit_bytes, int shards) {
  const double need = estimate_training_bytes(m, t, shards);
  if (need > limit_bytes)
    throw Error("This configuration would need about " + format_bytes(need) + " of memory to train, more than the " +
                format_bytes(limit_bytes) + " available. Lower the hidden size, layers, batch size or sequence length.");
}

std::string to_json(const ModelConfig& m) {
  json j{{"cell", cell_name(m.cell)}, {"vocab_size", m.vocab_size}, {"embed_size", m.embed_size},
         {"hidden_size", m.hidden_size}, {"layers", m.layers}, {"dropout", m.dropout}};
  // Only per-layer models write hidden_sizes: a uniform model's JSON is what it always was.
  if (m.per_layer_hidden()) j["hidden_sizes"] = m.hidden_sizes;
  return j.dump();
}

std::string to_json(const TrainConfig& t) {
  return json{{"batch_size", t.batch_size}, {"seq_len", t.seq_len}, {"optimizer", optimizer_name(t.optimizer)},
              {"learning_rate", t.learning_rate}, {"lr_decay", t.lr_decay}, {"lr_decay_every", t.lr_decay_every},
              {"rmsprop_decay", t.rmsprop_decay}, {"adam_beta1", t.adam_beta1}, {"adam_beta2", t.adam_beta2},
              {"grad_clip", t.grad_clip}, {"grad_clip_value", t.grad_clip_value}, {"l2", t.l2},
              {"val_fraction", t.val_fraction}, {"seed", std::to_string(t.seed)}, {"lines", t.lines}}.dump();
}

namespace {

Error bad_config(const char* what, const std::string& why) {
  return Error(std::string("This model file cannot be used: its ") + what + " " + why + ".");
}

json parse_object(const std::string& text, const char* what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) throw bad_config(what, "is not a JSON object");
  return j;
}

// One field of a configuration object, checked before it is converted: strings must be strings,
// ints JSON integers within int's range, floats finite numbers within float's range. (The ranges
// that make sense are validate()'s business; these only make the conversion well defined.)
template <typename T>
T field(const json& j, const char* key, const char* what) {
  auto it = j.find(key);
  if (it == j.end()) throw bad_config(what, std::string("has no '") + key + "'");
  const std::string invalid = std::string("has an invalid '") + key + "' (" + describe_json_value(*it) + ": ";
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) throw bad_config(what, invalid + "not a string)");
    return it->get<std::string>();
  } else if constexpr (std::is_same_v<T, int>) {
    const auto v = json_integer(*it, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    if (!v)
      throw bad_config(what, invalid + "not a whole number from " + std::to_string(std::numeric_limits<int>::min()) +
                                 " to " + std::to_string(std::numeric_limits<int>::max()) + ")");
    return static_cast<int>(*v);
  } else {
    static_assert(std::is_same_v<T, float>, "field<T>: T is std::string, int or float");
    const auto v = json_number(*it, -std::numeric_limits<float>::max(), std::numeric_limits<float>::max());
    if (!v) throw bad_config(what, invalid + "not a finite number)");
    return static_cast<float>(*v);
  }
}

}  // namespace

ModelConfig model_config_from_json(const std::string& text) {
  const json j = parse_object(text, "model configuration");
  ModelConfig m;
  m.cell = parse_cell(field<std::string>(j, "cell", "model configuration"));
  m.vocab_size = field<int>(j, "vocab_size", "model configuration");
  m.embed_size = field<int>(j, "embed_size", "model configuration");
  m.hidden_size = field<int>(j, "hidden_size", "model configuration");
  m.layers = field<int>(j, "layers", "model configuration");
  m.dropout = field<float>(j, "dropout", "model configuration");
  // Files from before per-layer sizes have no 'hidden_sizes': every layer has hidden_size.
  if (auto it = j.find("hidden_sizes"); it != j.end()) {
    const std::string invalid = "has an invalid 'hidden_sizes' (" + describe_json_value(*it) + ": ";
    if (!it->is_array() || it->empty() || it->size() > 64)
      throw bad_config("model configuration", invalid + "not a list of 1 to 64 sizes, one per layer)");
    std::vector<int> sizes;
    for (const json& size : *it) {
      const auto v = json_integer(size, 1, 1 << 20);
      if (!v) throw bad_config("model configuration", invalid + "each size must be a whole number from 1 to 1048576)");
      sizes.push_back(static_cast<int>(*v));
    }
    m.hidden_sizes = sizes;
  }
  validate(m);
  return m;
}

TrainConfig train_config_from_json(const std::string& text) {
  const json j = parse_object(text, "training configuration");
  const char* what = "training configuration";
  TrainConfig t;
  t.batch_size = field<int>(j, "batch_size", what);
  t.seq_len = field<int>(j, "seq_len", what);
  t.optimizer = parse_optimizer(field<std::string>(j, "optimizer", what));
  t.learning_rate = field<float>(j, "learning_rate", what);
  t.lr_decay = field<float>(j, "lr_decay", what);
  t.lr_decay_every = field<int>(j, "lr_decay_every", what);
  t.rmsprop_decay = field<float>(j, "rmsprop_decay", what);
  t.adam_beta1 = field<float>(j, "adam_beta1", what);
  t.adam_beta2 = field<float>(j, "adam_beta2", what);
  t.grad_clip = field<float>(j, "grad_clip", what);
  t.grad_clip_value = field<float>(j, "grad_clip_value", what);
  t.l2 = field<float>(j, "l2", what);
  t.val_fraction = field<float>(j, "val_fraction", what);
  // Files from before the lines mode have no 'lines': they trained on one stream.
  if (auto it = j.find("lines"); it != j.end()) {
    if (!it->is_boolean()) throw bad_config(what, "has an invalid 'lines' (" + describe_json_value(*it) + ": not true or false)");
    t.lines = it->get<bool>();
  }
  // The seed is a string of decimal digits (a JSON number could not hold every 64-bit value).
  // std::stoull alone would take "-1", " 7" and "7abc".
  const std::string seed = field<std::string>(j, "seed", what);
  const bool digits = !seed.empty() && seed.size() <= 20 && seed.find_first_not_of("0123456789") == std::string::npos;
  try {
    if (!digits) throw std::invalid_argument(seed);
    t.seed = std::stoull(seed);
  } catch (const std::logic_error&) {  // std::invalid_argument, std::out_of_range
    throw bad_config(what, "has an invalid 'seed' (" + describe_json_value(seed) +
                               ": not a whole number from 0 to 18446744073709551615 in a string)");
  }
  validate(t);
  return t;
}

}  // namespace charrnn

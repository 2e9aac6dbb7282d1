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
#include "model/settings.h"

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

// The layers and their hidden sizes are checked together (a list of sizes must fit the layers), so
// validate() leaves these three settings to this function.
void validate_hidden_sizes(const ModelConfig& m) {
  const Setting& layers = setting_of(&ModelConfig::layers);
  const Setting& hidden = setting_of(&ModelConfig::hidden_size);
  check_int(layers.label, m.layers, static_cast<long long>(layers.min), static_cast<long long>(layers.max));
  if (!m.per_layer_hidden()) {
    check_int(hidden.label, m.hidden_size, static_cast<long long>(hidden.min), static_cast<long long>(hidden.max));
    return;
  }
  if (static_cast<int>(m.hidden_sizes.size()) != m.layers)
    throw Error("There are " + std::to_string(m.hidden_sizes.size()) + " hidden sizes for " + std::to_string(m.layers) +
                " layers: give one hidden size for every layer, or one per layer (as many as the layers).");
  const Setting& sizes = setting_of(&ModelConfig::hidden_sizes);
  for (int l = 0; l < m.layers; l++)
    check_int((std::string(hidden.label) + " of layer " + std::to_string(l + 1)).c_str(), m.hidden(l),
              static_cast<long long>(sizes.min), static_cast<long long>(sizes.max));
}

namespace {

// One setting's value against its table line: a range for numbers, a known name for a choice.
void check_value(const Setting&, CellType cell) { cell_of(cell); }  // throws for a value outside the enum
void check_value(const Setting&, OptimizerType opt) {
  if (std::string(optimizer_name(opt)) == "?") throw Error("Unknown optimiser: use rmsprop, adam or adagrad.");
}
void check_value(const Setting& s, int v) {
  check_int(s.label, v, static_cast<long long>(s.min), static_cast<long long>(s.max));
}
void check_value(const Setting& s, float v) {
  check_float(s.label, v, static_cast<float>(s.min), static_cast<float>(s.max));
}
void check_value(const Setting&, bool) {}
void check_value(const Setting&, uint64_t) {}  // a seed: any value
void check_value(const Setting&, const std::vector<int>&) {}  // hidden_sizes: validate_hidden_sizes

template <typename Config>
void validate_settings(const Config& c) {
  for_each_setting<Config>([&](const Setting& s, auto member) {
    if constexpr (std::is_same_v<Config, ModelConfig>) {
      if (s.field == SettingField(&ModelConfig::layers)) return validate_hidden_sizes(c);
      if (s.field == SettingField(&ModelConfig::hidden_size)) return;  // checked with the layers
    }
    check_value(s, c.*member);
  });
}

}  // namespace

void validate(const ModelConfig& m) { validate_settings(m); }

void validate(const TrainConfig& t) { validate_settings(t); }

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

namespace {

// A setting's value in a model file's JSON: choices by name, the seed as a string of digits (a JSON
// number could not hold every 64-bit value), floats as they always were (the float widened to a
// double). Only per-layer models write hidden_sizes: a uniform model's JSON is what it always was.
void write_value(json& j, const char* key, CellType v) { j[key] = cell_name(v); }
void write_value(json& j, const char* key, OptimizerType v) { j[key] = optimizer_name(v); }
void write_value(json& j, const char* key, uint64_t v) { j[key] = std::to_string(v); }
void write_value(json& j, const char* key, const std::vector<int>& v) {
  if (!v.empty()) j[key] = v;
}
template <typename Value>
void write_value(json& j, const char* key, const Value& v) {
  j[key] = v;
}

template <typename Config>
std::string settings_to_json(const Config& c) {
  json j = json::object();
  for_each_setting<Config>([&](const Setting& s, auto member) {
    if (s.json) write_value(j, s.json, c.*member);
  });
  return j.dump();
}

}  // namespace

std::string to_json(const ModelConfig& m) { return settings_to_json(m); }

std::string to_json(const TrainConfig& t) { return settings_to_json(t); }

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
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) throw bad_config(what, invalid + "not true or false)");
    return it->get<bool>();
  } else {
    static_assert(std::is_same_v<T, float>, "field<T>: T is std::string, int, bool or float");
    const auto v = json_number(*it, -std::numeric_limits<float>::max(), std::numeric_limits<float>::max());
    if (!v) throw bad_config(what, invalid + "not a finite number)");
    return static_cast<float>(*v);
  }
}

}  // namespace

namespace {

template <typename Value>
void read_value(const json& j, const Setting& s, const char* what, Value& out) {
  if constexpr (std::is_same_v<Value, CellType>) {
    out = parse_cell(field<std::string>(j, s.json, what));
  } else if constexpr (std::is_same_v<Value, OptimizerType>) {
    out = parse_optimizer(field<std::string>(j, s.json, what));
  } else if constexpr (std::is_same_v<Value, uint64_t>) {
    // std::stoull alone would take "-1", " 7" and "7abc".
    const std::string text = field<std::string>(j, s.json, what);
    const bool digits = !text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos;
    try {
      if (!digits) throw std::invalid_argument(text);
      out = std::stoull(text);
    } catch (const std::logic_error&) {  // std::invalid_argument, std::out_of_range
      throw bad_config(what, std::string("has an invalid '") + s.json + "' (" + describe_json_value(text) +
                                 ": not a whole number from 0 to 18446744073709551615 in a string)");
    }
  } else if constexpr (std::is_same_v<Value, std::vector<int>>) {
    const json& list = j.at(s.json);
    const int most = static_cast<int>(setting_of(&ModelConfig::layers).max);
    const std::string invalid = std::string("has an invalid '") + s.json + "' (" + describe_json_value(list) + ": ";
    if (!list.is_array() || list.empty() || static_cast<int>(list.size()) > most)
      throw bad_config(what, invalid + "not a list of 1 to " + std::to_string(most) + " sizes, one per layer)");
    const auto lo = static_cast<int64_t>(s.min), hi = static_cast<int64_t>(s.max);
    std::vector<int> sizes;
    for (const json& size : list) {
      const auto v = json_integer(size, lo, hi);
      if (!v)
        throw bad_config(what, invalid + "each size must be a whole number from " + std::to_string(lo) + " to " +
                                   std::to_string(hi) + ")");
      sizes.push_back(static_cast<int>(*v));
    }
    out = sizes;
  } else {
    out = field<Value>(j, s.json, what);
  }
}

// Every setting the file's JSON must have, converted and checked; one written only by newer
// versions (optional_in_files) keeps its default when absent.
template <typename Config>
Config settings_from_json(const std::string& text, const char* what) {
  const json j = parse_object(text, what);
  Config c;
  for_each_setting<Config>([&](const Setting& s, auto member) {
    if (!s.json || (s.optional_in_files && !j.contains(s.json))) return;
    read_value(j, s, what, c.*member);
  });
  validate(c);
  return c;
}

}  // namespace

ModelConfig model_config_from_json(const std::string& text) {
  return settings_from_json<ModelConfig>(text, "model configuration");
}

TrainConfig train_config_from_json(const std::string& text) {
  return settings_from_json<TrainConfig>(text, "training configuration");
}

}  // namespace charrnn

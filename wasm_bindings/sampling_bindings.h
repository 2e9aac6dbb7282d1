// What both WASM modules share: the configuration value objects (the core's own structs, so each
// default is the core's; their fields come from the settings table), the settings schema,
// sampling, and looking inside a model. Included by the training module and by the sampling-only
// module (the widget's).
#pragma once
#include <emscripten/bind.h>

#include <memory>

#include "errors.h"
#include "inspection/inspect.h"
#include "js_errors.h"
#include "generation/line_sampler.h"
#include "model/model.h"
#include "files/model_file.h"
#include "inspection/neurons.h"
#include "generation/sampler.h"
#include "model/settings.h"
#include "text/utf8.h"

namespace charrnn_bindings {

using emscripten::typed_memory_view;
using emscripten::val;

// JS numbers carry seeds: whole numbers up to 2^53 (charrnn.js refuses others before they get here).
inline double seed_of(uint64_t seed) { return static_cast<double>(seed); }
inline uint64_t seed_from(double s) { return s >= 0.0 && s < 18446744073709551616.0 ? static_cast<uint64_t>(s) : 0; }

// The settings types JS holds differently from C++ (each is one member of its struct):
// cell and optimiser by name (an unknown name becomes a value validate() refuses, naming the
// choices), per-layer hidden sizes as an array of numbers ([] for a uniform model), seeds as numbers.
inline std::string cell_of_config(const charrnn::ModelConfig& m) { return charrnn::cell_name(m.cell); }
inline void set_cell(charrnn::ModelConfig& m, std::string name) {
  const charrnn::Cell* c = charrnn::find_cell(name.c_str());
  m.cell = c ? c->type : static_cast<charrnn::CellType>(-1);
}
inline std::string optimizer_of_config(const charrnn::TrainConfig& t) { return charrnn::optimizer_name(t.optimizer); }
inline void set_optimizer(charrnn::TrainConfig& t, std::string name) {
  try {
    t.optimizer = charrnn::parse_optimizer(name);
  } catch (const charrnn::Error&) {
    t.optimizer = static_cast<charrnn::OptimizerType>(-1);
  }
}
inline val hidden_sizes_of_config(const charrnn::ModelConfig& m) { return val::array(m.hidden_sizes); }
inline void set_hidden_sizes_of_config(charrnn::ModelConfig& m, val sizes) {
  m.hidden_sizes = emscripten::vecFromJSArray<int>(sizes);
}
template <typename Config>
double seed_of_config(const Config& c) { return seed_of(c.seed); }
template <typename Config>
void set_seed_of_config(Config& c, double s) { c.seed = seed_from(s); }

// A settings struct (ModelConfig, TrainConfig, SampleOptions) as a value object: one field per
// line of the settings table (core/model/settings.cpp) under its JS name, so a setting added there
// reaches JS with no change here. Numbers and booleans are the members themselves.
template <typename Config>
void register_settings(const char* name) {
  emscripten::value_object<Config> object(name);
  charrnn::for_each_setting<Config>([&](const charrnn::Setting& s, auto member) {
    using Value = typename charrnn::member_traits<decltype(member)>::value;
    if constexpr (std::is_same_v<Value, charrnn::CellType>) object.field(s.js, &cell_of_config, &set_cell);
    else if constexpr (std::is_same_v<Value, charrnn::OptimizerType>)
      object.field(s.js, &optimizer_of_config, &set_optimizer);
    else if constexpr (std::is_same_v<Value, std::vector<int>>)
      object.field(s.js, &hidden_sizes_of_config, &set_hidden_sizes_of_config);
    else if constexpr (std::is_same_v<Value, uint64_t>)
      object.field(s.js, &seed_of_config<Config>, &set_seed_of_config<Config>);
    else object.field(s.js, member);
  });
}

// A typed-array view of a buffer in WASM memory (valid until the engine next allocates).
template <typename T>
inline val view_of(const std::vector<T>& v) {
  return val(typed_memory_view(v.size(), v.data()));
}

inline std::string utf8_of(const std::vector<char32_t>& code_points) {
  return charrnn::encode_utf8(std::u32string(code_points.begin(), code_points.end()));
}

// An Inspection as plain JS: figures and typed-array views into `in` (valid while it lives).
inline val inspection_to_js(const charrnn::Inspection& in) {
  val o = val::object();
  o.set("chars", in.chars);
  o.set("topK", in.top_k);
  o.set("layers", in.layers);
  o.set("hidden", in.hidden);
  o.set("layerHidden", val::array(in.layer_hidden));
  o.set("hasCellState", in.has_cell_state);
  o.set("ids", val(typed_memory_view(in.ids.size(), in.ids.data())));
  o.set("topIds", val(typed_memory_view(in.top_ids.size(), in.top_ids.data())));
  o.set("topProbs", val(typed_memory_view(in.top_probs.size(), in.top_probs.data())));
  o.set("pActual", val(typed_memory_view(in.p_actual.size(), in.p_actual.data())));
  o.set("h", val(typed_memory_view(in.h.size(), in.h.data())));
  o.set("c", val(typed_memory_view(in.c.size(), in.c.data())));
  return o;
}

inline val rankings_to_js(const std::vector<charrnn::PropertyRanking>& rankings) {
  val out = val::array();
  for (const charrnn::PropertyRanking& r : rankings) {
    val p = val::object();
    p.set("property", r.property);
    p.set("description", r.description);
    p.set("varies", r.varies);
    val best = val::array();
    for (const charrnn::NeuronScore& s : r.best) {
      val n = val::object();
      n.set("layer", s.layer);
      n.set("unit", s.unit);
      n.set("cellState", s.cell_state);
      n.set("r", s.r);
      best.call<void>("push", n);
    }
    p.set("best", best);
    out.call<void>("push", p);
  }
  return out;
}

// Sampled lines as a JS array of { text, complete, fromText }.
inline val lines_to_js(const std::vector<charrnn::SampledLine>& lines) {
  val out = val::array();
  for (const charrnn::SampledLine& l : lines) {
    val o = val::object();
    o.set("text", l.text);
    o.set("complete", l.complete);
    o.set("fromText", l.from_text);
    out.call<void>("push", o);
  }
  return out;
}

// A stream of characters from a model; keeps the model alive while it exists.
class StreamSampler {
 public:
  StreamSampler(std::shared_ptr<const charrnn::Model> model, const charrnn::SampleOptions& o)
      : model_(std::move(model)), sampler_(*model_, o) {}
  void prime(const std::string& text) { guarded([&] { sampler_.prime(text); }); }
  // Primes with the characters the model knows; returns the ones left out.
  std::string primeKnown(const std::string& text) { return guarded([&] { return utf8_of(to_vector(sampler_.prime_known(text))); }); }
  void setSettings(const charrnn::SampleOptions& o) { guarded([&] { sampler_.set_options(o); }); }
  std::string next(int n) { return guarded([&] { return sampler_.next(n); }); }
  // The next character's probabilities (length V), as a view: copy before the next call.
  val probabilities() const {
    const auto& p = sampler_.probabilities();
    return val(typed_memory_view(p.size(), p.data()));
  }

 private:
  static std::vector<char32_t> to_vector(const std::u32string& s) { return {s.begin(), s.end()}; }
  std::shared_ptr<const charrnn::Model> model_;
  charrnn::Sampler sampler_;
};

// Looking inside a model: the last inspection stays alive for its typed-array views.
class Inspector {
 public:
  val inspect(const charrnn::Model& m, const std::string& text, int top_k) {
    inspection_ = guarded([&] { return charrnn::inspect_text(m, text, {top_k}); });
    return inspection_to_js(inspection_);
  }
  val rankNeurons(int per_property) const {
    return rankings_to_js(guarded([&] {
      if (inspection_.chars == 0) throw charrnn::Error("Inspect a text first: neurons are ranked on it.");
      return charrnn::rank_neurons(inspection_, per_property);
    }));
  }

 private:
  charrnn::Inspection inspection_;
};

// A model loaded for sampling and inspection only.
class SamplingModel {
 public:
  static std::unique_ptr<SamplingModel> fromBytes(const std::string& bytes) {
    return guarded([&] {
      auto loaded = charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      auto m = std::make_unique<SamplingModel>();
      m->model_ = std::make_shared<const charrnn::Model>(std::move(loaded.model));
      return m;
    });
  }
  charrnn::ModelConfig config() const { return model_->config; }
  bool lines() const { return model_->lines; }
  // `count` whole lines, marked against the lines of `text` (empty: none marked).
  val sampleLines(int count, const charrnn::SampleOptions& o, int max_chars, const std::string& prime,
                  const std::string& text) const {
    return lines_to_js(guarded([&] {
      const charrnn::TextLines text_lines(text);
      return charrnn::sample_lines(*model_, count, o, text.empty() ? nullptr : &text_lines, max_chars, prime);
    }));
  }
  std::string vocabText() const { return utf8_of(model_->vocab.symbols()); }
  double parameterCount() const { return static_cast<double>(model_->params.size()); }
  std::unique_ptr<StreamSampler> sampler(const charrnn::SampleOptions& o) const {
    return guarded([&] { return std::make_unique<StreamSampler>(model_, o); });
  }
  val inspect(const std::string& text, int top_k) { return inspector_.inspect(*model_, text, top_k); }
  val rankNeurons(int per_property) const { return inspector_.rankNeurons(per_property); }

 private:
  std::shared_ptr<const charrnn::Model> model_;
  Inspector inspector_;
};

inline charrnn::ModelConfig defaultModelConfig() { return {}; }
inline charrnn::SampleOptions defaultSampleOptions() { return {}; }

inline void register_sampling() {
  using namespace emscripten;
  using charrnn::ModelConfig;
  using charrnn::SampleOptions;
  register_settings<ModelConfig>("ModelConfig");
  register_settings<SampleOptions>("SampleOptions");
  // The settings table as JSON (charrnn.js's `schema`): names, labels, types, ranges, defaults.
  function("settingsSchema", &charrnn::settings_schema_json);
  function("defaultModelConfig", &defaultModelConfig);
  function("defaultSampleOptions", &defaultSampleOptions);
  class_<StreamSampler>("StreamSampler")
      .function("prime", &StreamSampler::prime)
      .function("primeKnown", &StreamSampler::primeKnown)
      .function("setSettings", &StreamSampler::setSettings)
      .function("next", &StreamSampler::next)
      .function("probabilities", &StreamSampler::probabilities);
  class_<SamplingModel>("SamplingModel")
      .class_function("fromBytes", &SamplingModel::fromBytes)
      .function("config", &SamplingModel::config)
      .function("lines", &SamplingModel::lines)
      .function("sampleLines", &SamplingModel::sampleLines)
      .function("vocabText", &SamplingModel::vocabText)
      .function("parameterCount", &SamplingModel::parameterCount)
      .function("sampler", &SamplingModel::sampler)
      .function("inspect", &SamplingModel::inspect)
      .function("rankNeurons", &SamplingModel::rankNeurons);
}

}  // namespace charrnn_bindings

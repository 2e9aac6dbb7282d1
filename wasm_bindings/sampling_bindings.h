// Sampling from a model: shared by the training module and the sampling-only module (widget).
#pragma once
#include <emscripten/bind.h>

#include <memory>

#include "js_errors.h"
#include "model.h"
#include "model_file.h"
#include "sampler.h"

namespace charrnn_bindings {

struct SampleSettings {
  float temperature = 1.0f;
  bool argmax = false;
  int topK = 0;
  double seed = 1;  // JS numbers: integers up to 2^53
};

inline charrnn::SampleOptions to_options(const SampleSettings& s) {
  charrnn::SampleOptions o;
  o.temperature = s.temperature;
  o.argmax = s.argmax;
  o.top_k = s.topK;
  o.seed = static_cast<uint64_t>(s.seed);
  return o;
}

// A stream of characters from a model; keeps the model alive while it exists.
class StreamSampler {
 public:
  StreamSampler(std::shared_ptr<const charrnn::Model> model, const SampleSettings& s)
      : model_(std::move(model)), sampler_(*model_, to_options(s)) {}
  void prime(const std::string& text) { guarded([&] { sampler_.prime(text); }); }
  void setSettings(const SampleSettings& s) { guarded([&] { sampler_.set_options(to_options(s)); }); }
  std::string next(int n) { return guarded([&] { return sampler_.next(n); }); }
  // The next character's probabilities (length V), as a view: copy before the next call.
  emscripten::val probabilities() const {
    const auto& p = sampler_.probabilities();
    return emscripten::val(emscripten::typed_memory_view(p.size(), p.data()));
  }

 private:
  std::shared_ptr<const charrnn::Model> model_;
  charrnn::Sampler sampler_;
};

inline std::string vocab_json(const charrnn::Model& m) {
  std::string out = "[";
  for (size_t i = 0; i < m.vocab.symbols().size(); i++) out += (i ? "," : "") + std::to_string(m.vocab.symbols()[i]);
  return out + "]";
}

// A model loaded for sampling only.
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
  std::string configJson() const { return charrnn::to_json(model_->config); }
  std::string vocabJson() const { return vocab_json(*model_); }
  double parameterCount() const { return static_cast<double>(model_->params.size()); }
  std::unique_ptr<StreamSampler> sampler(const SampleSettings& s) const {
    return guarded([&] { return std::make_unique<StreamSampler>(model_, s); });
  }

 private:
  std::shared_ptr<const charrnn::Model> model_;
};

inline void register_sampling() {
  using namespace emscripten;
  value_object<SampleSettings>("SampleSettings")
      .field("temperature", &SampleSettings::temperature)
      .field("argmax", &SampleSettings::argmax)
      .field("topK", &SampleSettings::topK)
      .field("seed", &SampleSettings::seed);
  class_<StreamSampler>("StreamSampler")
      .function("prime", &StreamSampler::prime)
      .function("setSettings", &StreamSampler::setSettings)
      .function("next", &StreamSampler::next)
      .function("probabilities", &StreamSampler::probabilities);
  class_<SamplingModel>("SamplingModel")
      .class_function("fromBytes", &SamplingModel::fromBytes)
      .function("configJson", &SamplingModel::configJson)
      .function("vocabJson", &SamplingModel::vocabJson)
      .function("parameterCount", &SamplingModel::parameterCount)
      .function("sampler", &SamplingModel::sampler);
}

}  // namespace charrnn_bindings

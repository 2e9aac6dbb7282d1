// "Why it works": the three figures of Karpathy, Johnson and Fei-Fei (2015) for the page. A model
// loaded from its file's bytes (the page has them from save() or a file), and per call plain
// objects of figures and typed-array views into results kept here (valid until the next call);
// all logic is in core/inspection/ (ngram.h, gates.h, reach.h).
#include <emscripten/bind.h>

#include <memory>

#include "errors.h"
#include "files/model_file.h"
#include "inspection/gates.h"
#include "inspection/ngram.h"
#include "inspection/reach.h"
#include "js_errors.h"
#include "text/training_text.h"
#include "text/utf8.h"

using emscripten::typed_memory_view;
using emscripten::val;
using namespace charrnn_bindings;

namespace {

template <typename T>
val view_of(const std::vector<T>& v) {
  return val(typed_memory_view(v.size(), v.data()));
}

// The positions of one text, a few at a time: the page asks sizesAt for some, yields, goes on.
class ReachSession {
 public:
  ReachSession(std::shared_ptr<const charrnn::Model> model, const std::string& text, int max_distance)
      : model_(std::move(model)), probe_(*model_, text, max_distance) {}
  int chars() const { return probe_.chars(); }
  // [min(D, t)] gradient sizes at distances 1..: one backward pass.
  val sizesAt(int t) {
    sizes_ = guarded([&] { return probe_.sizes_at(t); });
    return view_of(sizes_);
  }

 private:
  std::shared_ptr<const charrnn::Model> model_;  // outlives probe_, which reads it
  charrnn::ReachProbe probe_;
  std::vector<float> sizes_;
};

class ModelAnalysis {
 public:
  static std::unique_ptr<ModelAnalysis> fromBytes(const std::string& bytes) {
    return guarded([&] {
      auto loaded = charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      auto a = std::make_unique<ModelAnalysis>();
      a->model_ = std::make_shared<const charrnn::Model>(std::move(loaded.model));
      return a;
    });
  }

  // Counts the n-gram on the training text's training part (the trainer's split) and keeps it:
  // {order, valLoss, valPredictions}.
  val countNgram(const std::string& training_text, int order, float val_fraction) {
    return guarded([&] {
      const std::vector<char32_t> chars = charrnn::decode_training_text(training_text);
      charrnn::NgramValidation v = charrnn::ngram_validation(model_->vocab, chars, val_fraction, order);
      ngram_ = std::make_unique<charrnn::NgramModel>(std::move(v.model));
      val o = val::object();
      o.set("order", order);
      o.set("valLoss", v.val_loss);
      o.set("valPredictions", static_cast<double>(v.val_predictions));
      return o;
    });
  }

  // Float32Array [N]: the kept n-gram's p(actual) per character of text, read from the
  // inspection's start context (a line break).
  val ngramPActual(const std::string& text) {
    p_ngram_ = guarded([&] {
      if (!ngram_) throw charrnn::Error("Count the n-gram first (countNgram).");
      std::vector<int32_t> ids;
      for (char32_t cp : charrnn::decode_utf8(text)) ids.push_back(model_->vocab.contains(cp) ? model_->vocab.id(cp) : -1);
      const int32_t start = model_->vocab.contains(U'\n') ? model_->vocab.id(U'\n') : -1;
      return charrnn::ngram_p_actual(*ngram_, ids, start);
    });
    return view_of(p_ngram_);
  }

  // {nats, chars, byContext: [{after, chars, advantageShare, textShare}]} from the network's
  // p(actual) (the inspection's pActual) and the n-gram's (ngramPActual) of the same text.
  val advantage(const std::string& text, val p_net, val p_ngram) const {
    return guarded([&] {
      const charrnn::AdvantageSplit a = charrnn::split_advantage(charrnn::decode_utf8(text),
                                                                 emscripten::convertJSArrayToNumberVector<float>(p_net),
                                                                 emscripten::convertJSArrayToNumberVector<float>(p_ngram));
      val kinds = val::array();
      for (const charrnn::AdvantageShare& s : a.by_context) {
        val k = val::object();
        k.set("after", s.after);
        k.set("chars", static_cast<double>(s.chars));
        k.set("advantageShare", s.advantage_share);
        k.set("textShare", s.text_share);
        kinds.call<void>("push", k);
      }
      val o = val::object();
      o.set("nats", a.total_advantage);
      o.set("chars", static_cast<double>(a.chars));
      o.set("byContext", kinds);
      return o;
    });
  }

  // {chars, layers, gates, hidden, layerHidden, gateNames, left, right}: left/right Float32Array
  // [L, S, H] fractions of characters with the gate < 0.1 / > 0.9.
  val gateSaturation(const std::string& text) {
    gates_ = guarded([&] { return charrnn::gate_saturation(*model_, text); });
    val o = val::object();
    o.set("chars", static_cast<double>(gates_.chars));
    o.set("layers", gates_.layers);
    o.set("gates", gates_.gates);
    o.set("hidden", gates_.hidden);
    o.set("layerHidden", val::array(gates_.layer_hidden));
    o.set("gateNames", val::array(gates_.gate_names));
    o.set("left", view_of(gates_.left));
    o.set("right", view_of(gates_.right));
    return o;
  }

  // Int32Array: the positions the averaged curve reads (reach_positions).
  val reachPositions(int chars, int max_distance, int samples) {
    positions_ = guarded([&] { return charrnn::reach_positions(chars, max_distance, samples); });
    return view_of(positions_);
  }

  // {byDistance: Float64Array [D], counts: Float64Array [D], positions: Int32Array} in one call
  // (the page spreads the work with reachSession instead).
  val reachOverText(const std::string& text, int max_distance, int samples) {
    reach_ = guarded([&] { return charrnn::reach_over_text(*model_, text, {max_distance, samples}); });
    counts_.assign(reach_.counts.begin(), reach_.counts.end());
    val o = val::object();
    o.set("byDistance", view_of(reach_.by_distance));
    o.set("counts", view_of(counts_));
    o.set("positions", view_of(reach_.positions));
    return o;
  }

  std::unique_ptr<ReachSession> reachSession(const std::string& text, int max_distance) const {
    return guarded([&] { return std::make_unique<ReachSession>(model_, text, max_distance); });
  }

 private:
  std::shared_ptr<const charrnn::Model> model_;
  std::unique_ptr<charrnn::NgramModel> ngram_;
  std::vector<float> p_ngram_;
  charrnn::GateSaturation gates_;
  std::vector<int32_t> positions_;
  charrnn::Reach reach_;
  std::vector<double> counts_;
};

// The defaults and limits of the three figures (ngram.h, reach.h), for the JS API's defaults.
val analysisDefaults() {
  val o = val::object();
  o.set("ngramOrder", charrnn::kDefaultNgramOrder);
  o.set("maxNgramOrder", charrnn::kMaxNgramOrder);
  o.set("reachDistance", charrnn::kDefaultReachDistance);
  o.set("maxReachDistance", charrnn::kMaxReachDistance);
  o.set("reachSamples", charrnn::kDefaultReachSamples);
  return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(charrnn_analysis) {
  using namespace emscripten;
  function("analysisDefaults", &analysisDefaults);
  class_<ReachSession>("ReachSession").function("chars", &ReachSession::chars).function("sizesAt", &ReachSession::sizesAt);
  class_<ModelAnalysis>("ModelAnalysis")
      .class_function("fromBytes", &ModelAnalysis::fromBytes)
      .function("countNgram", &ModelAnalysis::countNgram)
      .function("ngramPActual", &ModelAnalysis::ngramPActual)
      .function("advantage", &ModelAnalysis::advantage)
      .function("gateSaturation", &ModelAnalysis::gateSaturation)
      .function("reachPositions", &ModelAnalysis::reachPositions)
      .function("reachOverText", &ModelAnalysis::reachOverText)
      .function("reachSession", &ModelAnalysis::reachSession);
}

// The training module: everything the trainer page's worker needs. Configuration goes in as
// value objects, results come back as value objects or typed-array views; all logic is in core/.
#include <emscripten/bind.h>

#include <cmath>
#include <memory>

#include "errors.h"
#include "js_errors.h"
#include "model_file.h"
#include "sampling_bindings.h"
#include "trainer.h"

using namespace emscripten;
using namespace charrnn_bindings;

namespace {

struct ModelSettings {
  std::string cell = "lstm";
  int embedSize = 32, hiddenSize = 128, layers = 2;
  float dropout = 0.0f;
};

struct TrainSettings {
  int batchSize = 32, seqLen = 50;
  std::string optimizer = "rmsprop";
  float learningRate = 2e-3f, lrDecay = 1.0f;
  int lrDecayEvery = 0;
  float gradClip = 5.0f, gradClipValue = 0.0f, l2 = 0.0f, valFraction = 0.1f;
  double seed = 42;
};

struct TrainStats {
  float loss;  // mean over the applied steps (NaN if none)
  int steps, skipped;
  float gradNorm;
  double iteration, epoch;
  float learningRate;
};

charrnn::ModelConfig to_config(const ModelSettings& s) {
  charrnn::ModelConfig c;
  c.cell = charrnn::parse_cell(s.cell);
  c.embed_size = s.embedSize;
  c.hidden_size = s.hiddenSize;
  c.layers = s.layers;
  c.dropout = s.dropout;
  return c;
}

charrnn::TrainConfig to_config(const TrainSettings& s) {
  if (!(s.seed >= 0 && s.seed <= 9007199254740991.0 && std::floor(s.seed) == s.seed))
    throw charrnn::Error("The seed must be a whole number between 0 and 2^53.");
  charrnn::TrainConfig c;
  c.batch_size = s.batchSize;
  c.seq_len = s.seqLen;
  c.optimizer = charrnn::parse_optimizer(s.optimizer);
  c.learning_rate = s.learningRate;
  c.lr_decay = s.lrDecay;
  c.lr_decay_every = s.lrDecayEvery;
  c.grad_clip = s.gradClip;
  c.grad_clip_value = s.gradClipValue;
  c.l2 = s.l2;
  c.val_fraction = s.valFraction;
  c.seed = static_cast<uint64_t>(s.seed);
  charrnn::validate(c);
  return c;
}

class TrainingSession {
 public:
  static std::unique_ptr<TrainingSession> create(const std::string& text, const ModelSettings& m,
                                                 const TrainSettings& t) {
    return guarded([&] {
      const charrnn::TrainConfig tc = to_config(t);
      auto s = std::make_unique<TrainingSession>();
      s->trainer_ = std::make_shared<charrnn::Trainer>(charrnn::create_model_for_text(text, to_config(m), tc), tc, text);
      return s;
    });
  }

  // Continues from a model file. A checkpoint resumes exactly with its own training settings
  // when `resume` is true; otherwise the given settings start a fresh optimiser on the weights.
  static std::unique_ptr<TrainingSession> fromBytes(const std::string& bytes, const std::string& text,
                                                    const TrainSettings& t, bool resume) {
    return guarded([&] {
      auto loaded = charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      const bool exact = resume && loaded.is_checkpoint;
      const charrnn::TrainConfig tc = exact ? loaded.train_config : to_config(t);
      auto s = std::make_unique<TrainingSession>();
      s->trainer_ = std::make_shared<charrnn::Trainer>(std::move(loaded.model), tc, text);
      if (exact) charrnn::restore_checkpoint(*s->trainer_, loaded);
      return s;
    });
  }

  TrainStats train(int steps) {
    return guarded([&] {
      if (steps < 1 || steps > 100000) throw charrnn::Error("train() takes 1 to 100000 steps.");
      TrainStats r{0.0f, 0, 0, 0.0f, 0, 0, 0};
      double loss = 0;
      for (int i = 0; i < steps; i++) {
        const charrnn::StepResult s = trainer_->step();
        if (s.skipped) {
          r.skipped++;
          continue;
        }
        r.steps++;
        loss += s.loss;
        r.gradNorm = s.grad_norm;
      }
      r.loss = r.steps ? static_cast<float>(loss / r.steps) : NAN;
      r.iteration = static_cast<double>(trainer_->iteration());
      r.epoch = trainer_->epoch_progress();
      r.learningRate = trainer_->learning_rate();
      return r;
    });
  }

  double evaluate(double max_chars) { return guarded([&] { return trainer_->evaluate(static_cast<int64_t>(max_chars)); }); }
  void setLearningRate(float lr) { guarded([&] { trainer_->set_learning_rate(lr); }); }
  void setText(const std::string& text) { guarded([&] { trainer_->set_text(text); }); }

  // The file's bytes as a view into WASM memory, valid until the next save(): copy it at once.
  val save(bool checkpoint, bool f16) {
    saved_ = guarded([&] { return charrnn::save_model(trainer_->model(), trainer_.get(), {checkpoint, f16}); });
    return val(typed_memory_view(saved_.size(), reinterpret_cast<const uint8_t*>(saved_.data())));
  }

  std::unique_ptr<StreamSampler> sampler(const SampleSettings& s) const {
    // The sampler shares ownership of the trainer, and reads the weights as they train.
    std::shared_ptr<const charrnn::Model> model(trainer_, &trainer_->model());
    return guarded([&] { return std::make_unique<StreamSampler>(model, s); });
  }

  std::string modelConfigJson() const { return charrnn::to_json(trainer_->model().config); }
  std::string trainConfigJson() const { return charrnn::to_json(trainer_->config()); }
  std::string vocabJson() const { return vocab_json(trainer_->model()); }
  double parameterCount() const { return static_cast<double>(trainer_->model().params.size()); }
  double iteration() const { return static_cast<double>(trainer_->iteration()); }
  double epoch() const { return trainer_->epoch_progress(); }
  double trainChars() const { return static_cast<double>(trainer_->train_chars()); }
  double valChars() const { return static_cast<double>(trainer_->val_chars()); }
  double stepsPerEpoch() const { return static_cast<double>(trainer_->steps_per_epoch()); }
  float learningRate() const { return trainer_->learning_rate(); }

 private:
  std::shared_ptr<charrnn::Trainer> trainer_;
  std::string saved_;
};

// Memory a configuration would need, so the page can refuse before asking the engine to allocate.
double estimateTrainingBytes(const ModelSettings& m, const TrainSettings& t, int vocab_size) {
  return guarded([&] {
    charrnn::ModelConfig c = to_config(m);
    c.vocab_size = vocab_size;
    return charrnn::estimate_training_bytes(c, to_config(t));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(charrnn_training) {
  value_object<ModelSettings>("ModelSettings")
      .field("cell", &ModelSettings::cell)
      .field("embedSize", &ModelSettings::embedSize)
      .field("hiddenSize", &ModelSettings::hiddenSize)
      .field("layers", &ModelSettings::layers)
      .field("dropout", &ModelSettings::dropout);
  value_object<TrainSettings>("TrainSettings")
      .field("batchSize", &TrainSettings::batchSize)
      .field("seqLen", &TrainSettings::seqLen)
      .field("optimizer", &TrainSettings::optimizer)
      .field("learningRate", &TrainSettings::learningRate)
      .field("lrDecay", &TrainSettings::lrDecay)
      .field("lrDecayEvery", &TrainSettings::lrDecayEvery)
      .field("gradClip", &TrainSettings::gradClip)
      .field("gradClipValue", &TrainSettings::gradClipValue)
      .field("l2", &TrainSettings::l2)
      .field("valFraction", &TrainSettings::valFraction)
      .field("seed", &TrainSettings::seed);
  value_object<TrainStats>("TrainStats")
      .field("loss", &TrainStats::loss)
      .field("steps", &TrainStats::steps)
      .field("skipped", &TrainStats::skipped)
      .field("gradNorm", &TrainStats::gradNorm)
      .field("iteration", &TrainStats::iteration)
      .field("epoch", &TrainStats::epoch)
      .field("learningRate", &TrainStats::learningRate);
  register_sampling();
  class_<TrainingSession>("TrainingSession")
      .class_function("create", &TrainingSession::create)
      .class_function("fromBytes", &TrainingSession::fromBytes)
      .function("train", &TrainingSession::train)
      .function("evaluate", &TrainingSession::evaluate)
      .function("setLearningRate", &TrainingSession::setLearningRate)
      .function("setText", &TrainingSession::setText)
      .function("save", &TrainingSession::save)
      .function("sampler", &TrainingSession::sampler)
      .function("modelConfigJson", &TrainingSession::modelConfigJson)
      .function("trainConfigJson", &TrainingSession::trainConfigJson)
      .function("vocabJson", &TrainingSession::vocabJson)
      .function("parameterCount", &TrainingSession::parameterCount)
      .function("iteration", &TrainingSession::iteration)
      .function("epoch", &TrainingSession::epoch)
      .function("trainChars", &TrainingSession::trainChars)
      .function("valChars", &TrainingSession::valChars)
      .function("stepsPerEpoch", &TrainingSession::stepsPerEpoch)
      .function("learningRate", &TrainingSession::learningRate);
  function("estimateTrainingBytes", &estimateTrainingBytes);
}

// The training module: everything the trainer page's worker needs. Configurations are the core's
// own structs as value objects (so every default is the core's), results are value objects or
// typed-array views; all logic is in core/.
#include <emscripten/bind.h>

#include <memory>

#include "training/best_weights.h"
#include "errors.h"
#include "js_errors.h"
#include "generation/line_sampler.h"
#include "files/model_file.h"
#include "training/shard_replica.h"
#include "sampling_bindings.h"
#include "training/recipe.h"
#include "training/trainer.h"
#include "text/training_text.h"

using namespace emscripten;
using namespace charrnn_bindings;

namespace {

// A text's figures, for the page's data line before any model exists.
struct TextFigures {
  double chars, trainChars, valChars;
  std::string symbols;  // the vocabulary a model would get, as one string
};

TextFigures describeText(const std::string& bytes, float val_fraction) {
  return guarded([&] {
    const charrnn::TextInfo info = charrnn::describe_text(bytes, val_fraction);
    return TextFigures{static_cast<double>(info.chars), static_cast<double>(info.train_chars),
                       static_cast<double>(info.val_chars), utf8_of(info.symbols)};
  });
}

// A shard's exchange buffers (core/training/shard.h), as views: what a replica gets and gives back.
val buffers_of(charrnn::Shard& shard) {
  val out = val::object();
  out.set("inputs", view_of(shard.inputs));
  out.set("targets", view_of(shard.targets));
  out.set("state", view_of(shard.state_flat));
  out.set("rng", view_of(shard.rng_flat));
  out.set("grads", view_of(shard.grads));
  return out;
}

class TrainingSession {
 public:
  static std::unique_ptr<TrainingSession> create(const std::string& text, const charrnn::ModelConfig& m,
                                                 const charrnn::TrainConfig& t, int shards) {
    return guarded([&] {
      auto s = std::make_unique<TrainingSession>();
      s->trainer_ = charrnn::Trainer::for_new_model(text, m, t, {shards, {}});
      s->text_ = text;
      return s;
    });
  }

  // Continues from a model file. A checkpoint resumes exactly with its own training settings
  // when `resume` is true; otherwise the given settings start a fresh optimiser on the weights.
  static std::unique_ptr<TrainingSession> fromBytes(const std::string& bytes, const std::string& text,
                                                    const charrnn::TrainConfig& t, bool resume, int shards) {
    return guarded([&] {
      auto loaded = charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      const bool exact = resume && loaded.is_checkpoint;
      auto s = std::make_unique<TrainingSession>();
      const charrnn::TrainConfig settings = charrnn::settings_to_continue(loaded, t, resume);
      s->trainer_ = std::make_shared<charrnn::Trainer>(std::move(loaded.model), settings, text,
                                                         charrnn::Parallelism{shards, {}});
      if (exact) charrnn::restore_checkpoint(*s->trainer_, loaded);
      else s->trainer_->start_at_iteration(loaded.iteration);  // a model file goes on counting from its own
      s->text_ = text;
      return s;
    });
  }

  charrnn::TrainSummary train(int max_steps, double max_seconds) {
    return guarded([&] { return trainer_->train(max_steps, max_seconds); });
  }
  // A step whose shards 1.. run in helper workers' replicas (see core/training/shard_replica.h); the views
  // are into WASM memory, valid until the engine next allocates: copy at once.
  void beginStep() { guarded([&] { trainer_->begin_step(); }); }
  void runShard(int s) { guarded([&] { trainer_->run_shard(s); }); }
  void exportShard(int s) { guarded([&] { trainer_->export_shard(s); }); }
  val shardBuffers(int s) { return guarded([&] { return buffers_of(trainer_->shard(s)); }); }
  void importShard(int s, double loss_sum) { guarded([&] { trainer_->import_shard(s, loss_sum); }); }
  charrnn::StepResult finishStep() {
    return guarded([&] {
      const charrnn::StepResult r = trainer_->finish_step();
      tally_.add(r);
      return r;
    });
  }
  // The steps finished since the last call, concluded like train()'s summary.
  charrnn::TrainSummary takeSummary() {
    return guarded([&] {
      charrnn::TrainSummary s = tally_;
      trainer_->conclude(s);
      s.budget_spent = trainer_->budget_spent();
      tally_ = {};
      return s;
    });
  }
  val weights() const { return view_of(trainer_->weights()); }
  int shards() const { return trainer_->shards(); }
  int shardStreams(int s) const { return guarded([&] { return trainer_->shard(s).count; }); }

  // The time budget (core/training/schedule.h): seconds, 0 none, Infinity until stopped.
  void setBudget(double seconds) { guarded([&] { trainer_->set_budget(seconds); }); }
  double budget() const { return trainer_->budget(); }
  void setClock(double seconds) { guarded([&] { trainer_->set_clock(seconds); }); }
  double clock() const { return trainer_->clock(); }
  bool budgetSpent() const { return trainer_->budget_spent(); }
  bool observeValidation(double val_loss) { return guarded([&] { return trainer_->observe_validation(val_loss); }); }
  double peakLearningRate() const {
    return trainer_->learning_rate() / trainer_->schedule().factor(trainer_->clock());
  }

  double evaluate(double max_chars) { return guarded([&] { return trainer_->evaluate(static_cast<int64_t>(max_chars)); }); }
  bool markGood(double val_loss) { return guarded([&] { return trainer_->mark_good(val_loss); }); }
  charrnn::Trainer::RolledBack rollBack() { return guarded([&] { return trainer_->roll_back(); }); }
  void setLearningRate(float lr) { guarded([&] { trainer_->set_learning_rate(lr); }); }
  void setText(const std::string& text) {
    guarded([&] { trainer_->set_text(text); });
    text_ = text;
    text_lines_.reset();
  }
  void setDropout(float p) { guarded([&] { trainer_->set_dropout(p); }); }

  // The best weights so far (core/training/best_weights.h): kept, put back, saved, or taken from a file.
  bool keepIfBest(double val_loss) { return guarded([&] { return best_.offer(*trainer_, val_loss); }); }
  void restoreBest() { guarded([&] { best_.restore_into(*trainer_); }); }
  val bestInfo() const {
    if (best_.empty()) return val::null();
    val o = val::object();
    o.set("iteration", static_cast<double>(best_.iteration));
    o.set("valLoss", best_.val_loss);
    return o;
  }
  val saveBest(bool f16) {
    saved_ = guarded([&] { return best_.save(*trainer_, f16); });
    return val(typed_memory_view(saved_.size(), reinterpret_cast<const uint8_t*>(saved_.data())));
  }
  void adoptBest(const std::string& bytes) {
    guarded([&] {
      best_.adopt(charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), *trainer_);
    });
  }
  // `count` whole lines, each marked as a line of the training text or new.
  val sampleLines(int count, const charrnn::SampleOptions& o, int max_chars, const std::string& prime) {
    return lines_to_js(guarded([&] {
      if (!text_lines_) text_lines_ = std::make_unique<charrnn::TextLines>(text_);
      return charrnn::sample_lines(trainer_->model(), count, o, text_lines_.get(), max_chars, prime);
    }));
  }

  // The file's bytes as a view into WASM memory, valid until the next save(): copy it at once.
  val save(bool checkpoint, bool f16) {
    saved_ = guarded([&] { return charrnn::save_model(trainer_->model(), trainer_.get(), {checkpoint, f16}); });
    return val(typed_memory_view(saved_.size(), reinterpret_cast<const uint8_t*>(saved_.data())));
  }

  std::unique_ptr<StreamSampler> sampler(const charrnn::SampleOptions& o) const {
    // The sampler shares ownership of the trainer, and reads the weights as they train.
    std::shared_ptr<const charrnn::Model> model(trainer_, &trainer_->model());
    return guarded([&] { return std::make_unique<StreamSampler>(model, o); });
  }
  val inspect(const std::string& text, int top_k) { return inspector_.inspect(trainer_->model(), text, top_k); }
  val rankNeurons(int per_property) const { return inspector_.rankNeurons(per_property); }

  charrnn::ModelConfig modelConfig() const { return trainer_->model().config; }
  charrnn::TrainConfig trainConfig() const { return trainer_->config(); }
  std::string vocabText() const { return utf8_of(trainer_->model().vocab.symbols()); }
  double parameterCount() const { return static_cast<double>(trainer_->model().params.size()); }
  double iteration() const { return static_cast<double>(trainer_->iteration()); }
  double epoch() const { return trainer_->epoch_progress(); }
  double trainChars() const { return static_cast<double>(trainer_->train_chars()); }
  double valChars() const { return static_cast<double>(trainer_->val_chars()); }
  double stepsPerEpoch() const { return static_cast<double>(trainer_->steps_per_epoch()); }
  float learningRate() const { return trainer_->learning_rate(); }

 private:
  std::shared_ptr<charrnn::Trainer> trainer_;
  charrnn::BestWeights best_;
  std::string text_;  // the training text, for marking sampled lines
  std::unique_ptr<charrnn::TextLines> text_lines_;  // its lines, made at the first sampleLines()
  std::string saved_;
  Inspector inspector_;
  charrnn::TrainSummary tally_;
};

// A helper worker's shard (core/training/shard_replica.h): the model from its file, weights and exchange
// buffers as views the worker fills and reads.
class ShardReplicaSession {
 public:
  static std::unique_ptr<ShardReplicaSession> fromBytes(const std::string& bytes, int B, int T, int count) {
    return guarded([&] {
      auto loaded = charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      auto s = std::make_unique<ShardReplicaSession>();
      s->replica_ = std::make_unique<charrnn::ShardReplica>(std::move(loaded.model), B, T, count);
      return s;
    });
  }
  val buffers() {
    val out = buffers_of(replica_->shard());
    out.set("weights", view_of(replica_->weights()));
    return out;
  }
  double run() { return guarded([&] { return replica_->run(); }); }

 private:
  std::unique_ptr<charrnn::ShardReplica> replica_;
};

// Memory a configuration would need, so the page can refuse before asking the engine to allocate.
// The recipe (core/training/recipe.h): { model, train, reason } for a text of `chars` characters.
val recipeFor(double chars, bool lines, double budget_seconds) {
  const charrnn::Recipe r = charrnn::recipe_for(static_cast<int64_t>(chars), lines, budget_seconds);
  val out = val::object();
  out.set("model", r.model);
  out.set("train", r.train);
  out.set("reason", r.reason);
  return out;
}

double estimateTrainingBytes(charrnn::ModelConfig m, const charrnn::TrainConfig& t, int vocab_size) {
  return guarded([&] {
    m.vocab_size = vocab_size;
    charrnn::validate(t);
    return charrnn::estimate_training_bytes(m, t);
  });
}

charrnn::TrainConfig defaultTrainConfig() { return {}; }

}  // namespace

EMSCRIPTEN_BINDINGS(charrnn_training) {
  using charrnn::TrainConfig;
  register_sampling();
  register_settings<TrainConfig>("TrainConfig");
  value_object<charrnn::TrainSummary>("TrainSummary")
      .field("steps", &charrnn::TrainSummary::steps)
      .field("applied", &charrnn::TrainSummary::applied)
      .field("skipped", &charrnn::TrainSummary::skipped)
      // A number in JS (int64 would be a BigInt): exact up to 2^53 characters.
      .field("chars", +[](const charrnn::TrainSummary& s) { return static_cast<double>(s.chars); },
             +[](charrnn::TrainSummary& s, double v) { s.chars = static_cast<int64_t>(v); })
      .field("lossSum", &charrnn::TrainSummary::loss_sum)
      .field("loss", &charrnn::TrainSummary::loss)
      .field("gradNorm", &charrnn::TrainSummary::grad_norm)
      .field("diverged", &charrnn::TrainSummary::diverged)
      .field("budgetSpent", &charrnn::TrainSummary::budget_spent);
  value_object<charrnn::StepResult>("StepResult")
      .field("loss", &charrnn::StepResult::loss)
      .field("gradNorm", &charrnn::StepResult::grad_norm)
      .field("skipped", &charrnn::StepResult::skipped)
      .field("epochStart", &charrnn::StepResult::epoch_start);
  value_object<charrnn::Trainer::RolledBack>("RolledBack")
      .field("iteration", +[](const charrnn::Trainer::RolledBack& r) { return static_cast<double>(r.iteration); },
             +[](charrnn::Trainer::RolledBack& r, double v) { r.iteration = static_cast<int64_t>(v); })
      .field("valLoss", &charrnn::Trainer::RolledBack::val_loss)
      .field("learningRate", &charrnn::Trainer::RolledBack::learning_rate)
      .field("suggestedLearningRate", &charrnn::Trainer::RolledBack::suggested_learning_rate);
  value_object<TextFigures>("TextFigures")
      .field("chars", &TextFigures::chars)
      .field("trainChars", &TextFigures::trainChars)
      .field("valChars", &TextFigures::valChars)
      .field("symbols", &TextFigures::symbols);
  function("defaultTrainConfig", &defaultTrainConfig);
  function("describeText", &describeText);
  function("estimateTrainingBytes", &estimateTrainingBytes);
  function("recipeFor", &recipeFor);
  class_<TrainingSession>("TrainingSession")
      .class_function("create", &TrainingSession::create)
      .class_function("fromBytes", &TrainingSession::fromBytes)
      .function("train", &TrainingSession::train)
      .function("beginStep", &TrainingSession::beginStep)
      .function("runShard", &TrainingSession::runShard)
      .function("exportShard", &TrainingSession::exportShard)
      .function("shardBuffers", &TrainingSession::shardBuffers)
      .function("importShard", &TrainingSession::importShard)
      .function("finishStep", &TrainingSession::finishStep)
      .function("takeSummary", &TrainingSession::takeSummary)
      .function("weights", &TrainingSession::weights)
      .function("shards", &TrainingSession::shards)
      .function("shardStreams", &TrainingSession::shardStreams)
      .function("evaluate", &TrainingSession::evaluate)
      .function("markGood", &TrainingSession::markGood)
      .function("rollBack", &TrainingSession::rollBack)
      .function("setLearningRate", &TrainingSession::setLearningRate)
      .function("setBudget", &TrainingSession::setBudget)
      .function("budget", &TrainingSession::budget)
      .function("setClock", &TrainingSession::setClock)
      .function("clock", &TrainingSession::clock)
      .function("budgetSpent", &TrainingSession::budgetSpent)
      .function("observeValidation", &TrainingSession::observeValidation)
      .function("peakLearningRate", &TrainingSession::peakLearningRate)
      .function("setText", &TrainingSession::setText)
      .function("setDropout", &TrainingSession::setDropout)
      .function("keepIfBest", &TrainingSession::keepIfBest)
      .function("restoreBest", &TrainingSession::restoreBest)
      .function("bestInfo", &TrainingSession::bestInfo)
      .function("saveBest", &TrainingSession::saveBest)
      .function("adoptBest", &TrainingSession::adoptBest)
      .function("save", &TrainingSession::save)
      .function("sampler", &TrainingSession::sampler)
      .function("sampleLines", &TrainingSession::sampleLines)
      .function("inspect", &TrainingSession::inspect)
      .function("rankNeurons", &TrainingSession::rankNeurons)
      .function("modelConfig", &TrainingSession::modelConfig)
      .function("trainConfig", &TrainingSession::trainConfig)
      .function("vocabText", &TrainingSession::vocabText)
      .function("parameterCount", &TrainingSession::parameterCount)
      .function("iteration", &TrainingSession::iteration)
      .function("epoch", &TrainingSession::epoch)
      .function("trainChars", &TrainingSession::trainChars)
      .function("valChars", &TrainingSession::valChars)
      .function("stepsPerEpoch", &TrainingSession::stepsPerEpoch)
      .function("learningRate", &TrainingSession::learningRate);
  class_<ShardReplicaSession>("ShardReplica")
      .class_function("fromBytes", &ShardReplicaSession::fromBytes)
      .function("buffers", &ShardReplicaSession::buffers)
      .function("run", &ShardReplicaSession::run);
}

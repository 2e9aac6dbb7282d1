#include "files/model_file.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "json_numbers.h"
#include "files/safetensors.h"

namespace charrnn {

using nlohmann::json;

namespace {

std::vector<int64_t> to_shape(const std::vector<int>& s) { return std::vector<int64_t>(s.begin(), s.end()); }

Error bad_model(const std::string& why) {
  return Error("This model file cannot be used: " + why + ".");
}

// Counters (iteration, epoch, step in epoch, optimiser steps) stay below 2^53: exact as a
// JavaScript number, and far from overflowing when training goes on.
constexpr int64_t kMaxCounter = int64_t{1} << 53;

struct TrainerState {
  Trainer::Resumable resumable{};
  int64_t optimizer_steps = 0;
};

// The checkpoint's trainer_state JSON, every number checked before it is converted.
TrainerState read_trainer_state(const std::string& text) {
  const json st = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!st.is_object()) throw bad_model("its trainer state is incomplete: it is not a JSON object");
  auto entry = [&st](const char* key) -> const json& {
    auto it = st.find(key);
    if (it == st.end()) throw bad_model(std::string("its trainer state is incomplete: it has no '") + key + "'");
    return *it;
  };
  auto counter = [&entry](const char* key) -> int64_t {
    const json& v = entry(key);
    if (const auto n = json_integer(v, 0, kMaxCounter)) return *n;
    if (json_integer(v, std::numeric_limits<int64_t>::min(), -1))
      throw bad_model(std::string("its trainer state has negative counters ('") + key + "' is " +
                      describe_json_value(v) + ")");
    throw bad_model(std::string("its trainer state's '") + key + "' is " + describe_json_value(v) +
                    ", not a whole number from 0 to " + std::to_string(kMaxCounter));
  };
  TrainerState out;
  Trainer::Resumable& r = out.resumable;
  r.iteration = counter("iteration");
  r.epoch = counter("epoch");
  r.step_in_epoch = counter("step_in_epoch");
  out.optimizer_steps = counter("optimizer_steps");
  const json& lr = entry("learning_rate");
  const auto learning_rate = json_number(lr, 0.0, 1e4);  // the range Trainer::set_learning_rate allows
  if (!learning_rate)
    throw bad_model("its trainer state's learning rate is " + describe_json_value(lr) +
                    ", not a finite number from 0 to 10000");
  r.learning_rate = static_cast<float>(*learning_rate);
  // 4 words per stream's dropout generator (one generator's 4 in files from before per-stream
  // dropout); Trainer::restore checks the count against the batch size.
  const json& rng = entry("rng");
  if (!rng.is_array() || rng.empty() || rng.size() % 4 != 0 || rng.size() > 4 * 65536)
    throw bad_model("its random state is invalid: 'rng' is " + describe_json_value(rng) +
                    ", not 4 numbers per stream");
  r.rng_state.resize(rng.size());
  for (size_t i = 0; i < rng.size(); i++) {
    const auto word = json_integer(rng[i], 0, std::numeric_limits<uint32_t>::max());
    if (!word)
      throw bad_model("its random state is invalid: 'rng' holds " + describe_json_value(rng[i]) +
                      ", not a whole number from 0 to 4294967295");
    r.rng_state[i] = static_cast<uint32_t>(*word);
  }
  // xoshiro128** never reaches the all-zero state and would stay there (every draw 0).
  for (size_t i = 0; i < rng.size(); i += 4)
    if ((r.rng_state[i] | r.rng_state[i + 1] | r.rng_state[i + 2] | r.rng_state[i + 3]) == 0)
      throw bad_model("its random state is invalid: a generator's four words are all 0");
  // A time budget's schedule (schedule.h), in checkpoints of runs that had one. budget_seconds
  // null: until stopped.
  if (const auto it = st.find("schedule"); it != st.end()) {
    const json& sc = *it;
    auto number = [&sc](const char* key, double lo, double hi, bool null_ok) -> double {
      const auto v = sc.is_object() ? sc.find(key) : sc.end();
      if (v != sc.end() && null_ok && v->is_null()) return std::numeric_limits<double>::quiet_NaN();
      const auto n = v == sc.end() ? std::nullopt : json_number(*v, lo, hi);
      if (!n)
        throw bad_model(std::string("its trainer state's schedule is invalid: '") + key + "' is " +
                        (v == sc.end() ? std::string("missing") : describe_json_value(*v)));
      return *n;
    };
    LearningRateSchedule::State& s = r.schedule;
    const double budget = number("budget_seconds", 1e-3, 1e9, true);
    s.budget_seconds = std::isnan(budget) ? LearningRateSchedule::kUntilStopped : budget;
    s.plateau_scale = number("plateau_scale", LearningRateSchedule::kPlateauFloor, 1.0, false);
    s.best_val = number("best_val", 0.0, 1e4, true);
    s.best_at = number("best_at", 0.0, 1e12, false);
    r.clock_seconds = number("clock_seconds", 0.0, 1e12, false);
    r.peak_learning_rate = static_cast<float>(number("peak_learning_rate", 0.0, 1e4, false));
  }
  return out;
}

// Checkpoint values training never writes, checked once the structure is known to be right (so a
// file saved with another optimiser is told as such): NaN moments, negative moments of squared
// gradients (RMSProp's and Adagrad's m, Adam's v), a non-finite carried state. Each would turn every
// later step into NaN, and the trainer would skip them all without a word. Infinite moments can
// come from a diverging run without gradient clipping, so they load, as that run's weights would;
// the carried state is always finite (h stays within [-1, 1], LSTM's c grows by at most 1 a step).
void check_checkpoint_values(const LoadedModel& loaded) {
  const OptimizerState& opt = loaded.optimizer;
  for (const std::vector<float>* moments : {&opt.m, &opt.v})
    for (float x : *moments)
      if (std::isnan(x)) throw bad_model("its optimiser state contains NaN values");
  for (float x : opt.type == OptimizerType::Adam ? opt.v : opt.m)
    if (x < 0.0f) throw bad_model("its optimiser state holds a negative average of squared gradients");
  for (const auto* part : {&loaded.state.h, &loaded.state.c})
    for (const std::vector<float>& layer : *part)
      for (float x : layer)
        if (!std::isfinite(x)) throw bad_model("its carried hidden state contains NaN or infinite values");
}

// The optional iteration and val_loss, checked before they are converted.
void read_progress(const std::map<std::string, std::string>& metadata, LoadedModel& out) {
  auto it = metadata.find("iteration");
  if (it != metadata.end()) {
    const json v = json::parse(it->second, nullptr, false);
    const auto n = json_integer(v, 0, kMaxCounter);
    if (!n)
      throw bad_model("its iteration is " + describe_json_value(v) + ", not a whole number from 0 to " +
                      std::to_string(kMaxCounter));
    out.iteration = *n;
  }
  it = metadata.find("val_loss");
  if (it != metadata.end()) {
    const json v = json::parse(it->second, nullptr, false);
    const auto loss = json_number(v, 0.0, 1e6);
    if (!loss) throw bad_model("its validation loss is " + describe_json_value(v) + ", not a finite number from 0");
    out.val_loss = *loss;
  }
}

}  // namespace

std::string save_model(const Model& model, const Trainer* trainer, const SaveOptions& options) {
  if (options.checkpoint && !trainer) throw Error("A checkpoint needs a training session.");
  if (options.checkpoint && options.f16) throw Error("Checkpoints are stored in float32 so training resumes exactly.");
  std::map<std::string, std::string> meta;
  meta["format"] = "charrnn";
  meta["format_version"] = "1";
  meta["model_config"] = to_json(model.config);
  meta["vocab"] = json(std::vector<uint32_t>(model.vocab.symbols().begin(), model.vocab.symbols().end())).dump();
  // Progress travels with the weights, so a loaded model goes on counting where it stopped.
  const int64_t iteration = options.iteration >= 0 ? options.iteration : (trainer ? trainer->iteration() : -1);
  if (iteration >= 0) meta["iteration"] = json(iteration).dump();
  if (std::isfinite(options.val_loss)) meta["val_loss"] = json(options.val_loss).dump();
  if (model.lines) meta["examples"] = "lines";  // absent: one stream (files from before the lines mode too)
  std::vector<TensorToWrite> tensors;
  for (const TensorSlot& t : model.layout.tensors)
    tensors.push_back({t.name, to_shape(t.shape), model.params.data() + t.offset, options.f16});
  RecurrentState state;  // the carried state, assembled from the trainer's shards; outlives the write
  if (options.checkpoint) {
    const Trainer::Resumable r = trainer->resumable();
    const OptimizerState& opt = trainer->optimizer();
    meta["train_config"] = to_json(trainer->config());
    json state_json = {{"iteration", r.iteration},     {"epoch", r.epoch}, {"step_in_epoch", r.step_in_epoch},
                       {"learning_rate", r.learning_rate}, {"rng", r.rng_state}, {"optimizer_steps", opt.steps}};
    // Only with a budget: without one the clock does not matter, and files stay the same bytes
    // for the same steps.
    if (r.schedule.budget_seconds != LearningRateSchedule::kNoBudget) {
      const auto or_null = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
      state_json["schedule"] = {{"budget_seconds", or_null(r.schedule.budget_seconds)},
                                {"plateau_scale", r.schedule.plateau_scale},
                                {"best_val", or_null(r.schedule.best_val)},
                                {"best_at", r.schedule.best_at},
                                {"clock_seconds", r.clock_seconds},
                                {"peak_learning_rate", r.peak_learning_rate}};
    }
    meta["trainer_state"] = state_json.dump();
    for (const TensorSlot& t : model.layout.tensors)
      tensors.push_back({"optimizer.m." + t.name, to_shape(t.shape), opt.m.data() + t.offset, false});
    if (!opt.v.empty())
      for (const TensorSlot& t : model.layout.tensors)
        tensors.push_back({"optimizer.v." + t.name, to_shape(t.shape), opt.v.data() + t.offset, false});
    state = trainer->carried_state();
    const RecurrentState& s = state;
    for (int l = 0; l < s.layers; l++) {
      const int H = s.H[static_cast<size_t>(l)];
      tensors.push_back({"state.h." + std::to_string(l), {s.B, H}, s.h[static_cast<size_t>(l)].data(), false});
      if (model.cell().has_cell_state)
        tensors.push_back({"state.c." + std::to_string(l), {s.B, H}, s.c[static_cast<size_t>(l)].data(), false});
    }
  }
  return write_safetensors(meta, tensors);
}

LoadedModel load_model(const uint8_t* bytes, size_t size) {
  const SafeTensorsView view = parse_safetensors(bytes, size);
  auto meta = [&view](const char* key) -> const std::string& {
    auto it = view.metadata.find(key);
    if (it == view.metadata.end()) throw bad_model(std::string("its metadata has no '") + key + "' (not saved by this trainer?)");
    return it->second;
  };
  if (meta("format") != "charrnn") throw bad_model("it is not a char-rnn model (format '" + meta("format") + "')");
  if (meta("format_version") != "1")
    throw bad_model("it has format version " + meta("format_version") + "; this build reads version 1");
  LoadedModel out;
  ModelConfig config = model_config_from_json(meta("model_config"));

  const json vocab_json = json::parse(meta("vocab"), nullptr, false);
  if (!vocab_json.is_array()) throw bad_model("its vocabulary is not a JSON array");
  std::vector<char32_t> cps;
  for (const json& v : vocab_json) {
    // Only the conversion is checked here; Vocab::from_code_points refuses surrogates and values
    // above U+10FFFF with its own message.
    const auto cp = json_integer(v, 0, std::numeric_limits<uint32_t>::max());
    if (!cp) throw bad_model("its vocabulary holds " + describe_json_value(v) + ", which is not a code point");
    cps.push_back(static_cast<char32_t>(*cp));
  }
  if (static_cast<int>(cps.size()) != config.vocab_size)
    throw bad_model("its vocabulary has " + std::to_string(cps.size()) + " symbols but the output layer has " +
                    std::to_string(config.vocab_size));
  Vocab vocab = Vocab::from_code_points(std::move(cps));
  read_progress(view.metadata, out);

  // Check the size before allocating: a hostile header can claim any configuration.
  const double n_params = count_parameters(config);
  if (n_params * 2 > static_cast<double>(view.data_size))  // 2: float16 files hold half the bytes
    throw bad_model("its configuration needs " + std::to_string(static_cast<uint64_t>(n_params)) +
                    " parameters but the file holds fewer");
  Model& m = out.model;
  m.config = config;
  if (auto ex = view.metadata.find("examples"); ex != view.metadata.end()) {
    if (ex->second != "lines")
      throw bad_model("its metadata's 'examples' is '" + ex->second + "'; this build knows 'lines' (or none)");
    m.lines = true;
  }
  m.vocab = std::move(vocab);
  m.layout = make_layout(config);
  m.params.resize(m.layout.total);
  size_t expected_tensors = m.layout.tensors.size();
  for (const TensorSlot& t : m.layout.tensors) {
    std::vector<float> v = view.read_floats(t.name, to_shape(t.shape));
    std::copy(v.begin(), v.end(), m.params.begin() + static_cast<std::ptrdiff_t>(t.offset));
  }
  for (float p : m.params)
    if (!std::isfinite(p)) throw bad_model("its weights contain NaN or infinite values");

  auto ts = view.metadata.find("trainer_state");
  if (ts != view.metadata.end()) {
    out.is_checkpoint = true;
    out.train_config = train_config_from_json(meta("train_config"));
    const TrainerState st = read_trainer_state(ts->second);
    out.resumable = st.resumable;
    out.iteration = st.resumable.iteration;  // the trainer state's count is the one training resumes at
    out.optimizer.reset(out.train_config.optimizer, m.layout.total);
    out.optimizer.steps = st.optimizer_steps;
    for (const TensorSlot& t : m.layout.tensors) {
      std::vector<float> v = view.read_floats("optimizer.m." + t.name, to_shape(t.shape));
      std::copy(v.begin(), v.end(), out.optimizer.m.begin() + static_cast<std::ptrdiff_t>(t.offset));
      expected_tensors++;
      if (out.train_config.optimizer == OptimizerType::Adam) {
        v = view.read_floats("optimizer.v." + t.name, to_shape(t.shape));
        std::copy(v.begin(), v.end(), out.optimizer.v.begin() + static_cast<std::ptrdiff_t>(t.offset));
        expected_tensors++;
      }
    }
    // The carried state is read before anything of its size is allocated: a hostile training
    // configuration can claim any batch size, and only the tensors prove the file holds that much.
    const int B = out.train_config.batch_size;
    std::vector<std::vector<float>> h, c;
    for (int l = 0; l < config.layers; l++) {
      const int H = config.hidden(l);
      h.push_back(view.read_floats("state.h." + std::to_string(l), {B, H}));
      expected_tensors++;
      if (cell_of(config.cell).has_cell_state) {
        c.push_back(view.read_floats("state.c." + std::to_string(l), {B, H}));
        expected_tensors++;
      }
    }
    out.state.resize(config, B);
    for (size_t l = 0; l < h.size(); l++) out.state.h[l] = std::move(h[l]);
    for (size_t l = 0; l < c.size(); l++) out.state.c[l] = std::move(c[l]);
  }
  if (view.tensors.size() != expected_tensors) {
    const size_t extra = view.tensors.size() - expected_tensors;
    throw bad_model("it holds " + std::to_string(extra) + (extra == 1 ? " tensor that does" : " tensors that do") +
                    " not belong to its configuration");
  }
  if (out.is_checkpoint) check_checkpoint_values(out);
  return out;
}

TrainConfig settings_to_continue(const LoadedModel& loaded, TrainConfig given, bool resume) {
  if (resume && loaded.is_checkpoint) return loaded.train_config;
  if (loaded.model.lines) given.lines = true;
  return given;
}

void restore_checkpoint(Trainer& trainer, const LoadedModel& loaded) {
  if (!loaded.is_checkpoint) throw Error("This model file is not a checkpoint: it has no training state to resume.");
  trainer.restore(loaded.resumable, loaded.optimizer, loaded.state);
}

}  // namespace charrnn

#include "model_file.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "safetensors.h"

namespace charrnn {

using nlohmann::json;

namespace {

std::vector<int64_t> to_shape(const std::vector<int>& s) { return std::vector<int64_t>(s.begin(), s.end()); }

Error bad_model(const std::string& why) {
  return Error("This model file cannot be used: " + why + ".");
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
  std::vector<TensorToWrite> tensors;
  for (const TensorSlot& t : model.layout.tensors)
    tensors.push_back({t.name, to_shape(t.shape), model.params.data() + t.offset, options.f16});
  if (options.checkpoint) {
    const Trainer::Resumable r = trainer->resumable();
    const OptimizerState& opt = trainer->optimizer();
    meta["train_config"] = to_json(trainer->config());
    meta["trainer_state"] = json{{"iteration", r.iteration},
                                 {"epoch", r.epoch},
                                 {"step_in_epoch", r.step_in_epoch},
                                 {"learning_rate", r.learning_rate},
                                 {"rng", std::vector<uint32_t>(r.rng_state, r.rng_state + 4)},
                                 {"optimizer_steps", opt.steps}}
                                .dump();
    for (const TensorSlot& t : model.layout.tensors)
      tensors.push_back({"optimizer.m." + t.name, to_shape(t.shape), opt.m.data() + t.offset, false});
    if (!opt.v.empty())
      for (const TensorSlot& t : model.layout.tensors)
        tensors.push_back({"optimizer.v." + t.name, to_shape(t.shape), opt.v.data() + t.offset, false});
    const RecurrentState& s = trainer->carried_state();
    for (int l = 0; l < s.layers; l++) {
      tensors.push_back({"state.h." + std::to_string(l), {s.B, s.H}, s.h[static_cast<size_t>(l)].data(), false});
      if (model.cell().has_cell_state)
        tensors.push_back({"state.c." + std::to_string(l), {s.B, s.H}, s.c[static_cast<size_t>(l)].data(), false});
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
    if (!v.is_number_unsigned()) throw bad_model("its vocabulary holds something that is not a code point");
    cps.push_back(static_cast<char32_t>(v.get<uint32_t>()));
  }
  if (static_cast<int>(cps.size()) != config.vocab_size)
    throw bad_model("its vocabulary has " + std::to_string(cps.size()) + " symbols but the output layer has " +
                    std::to_string(config.vocab_size));
  Vocab vocab = Vocab::from_code_points(std::move(cps));

  // Check the size before allocating: a hostile header can claim any configuration.
  const double n_params = count_parameters(config);
  if (n_params * 2 > static_cast<double>(view.data_size))  // 2: float16 files hold half the bytes
    throw bad_model("its configuration needs " + std::to_string(static_cast<uint64_t>(n_params)) +
                    " parameters but the file holds fewer");
  Model& m = out.model;
  m.config = config;
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
    const json st = json::parse(ts->second, nullptr, false);
    try {
      out.resumable.iteration = st.at("iteration").get<int64_t>();
      out.resumable.epoch = st.at("epoch").get<int64_t>();
      out.resumable.step_in_epoch = st.at("step_in_epoch").get<int64_t>();
      out.resumable.learning_rate = st.at("learning_rate").get<float>();
      const auto rng = st.at("rng").get<std::vector<uint32_t>>();
      if (rng.size() != 4) throw bad_model("its random state is invalid");
      for (int i = 0; i < 4; i++) out.resumable.rng_state[i] = rng[static_cast<size_t>(i)];
      out.optimizer.reset(out.train_config.optimizer, m.layout.total);
      out.optimizer.steps = st.at("optimizer_steps").get<int64_t>();
    } catch (const json::exception&) {
      throw bad_model("its trainer state is incomplete");
    }
    if (out.resumable.iteration < 0 || out.resumable.epoch < 0 || out.resumable.step_in_epoch < 0 ||
        out.optimizer.steps < 0)
      throw bad_model("its trainer state has negative counters");
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
    const int B = out.train_config.batch_size, H = config.hidden_size;
    out.state.resize(config.layers, B, H);
    for (int l = 0; l < config.layers; l++) {
      out.state.h[static_cast<size_t>(l)] = view.read_floats("state.h." + std::to_string(l), {B, H});
      expected_tensors++;
      if (cell_of(config.cell).has_cell_state) {
        out.state.c[static_cast<size_t>(l)] = view.read_floats("state.c." + std::to_string(l), {B, H});
        expected_tensors++;
      }
    }
  }
  if (view.tensors.size() != expected_tensors) {
    const size_t extra = view.tensors.size() - expected_tensors;
    throw bad_model("it holds " + std::to_string(extra) + (extra == 1 ? " tensor that does" : " tensors that do") +
                    " not belong to its configuration");
  }
  return out;
}

void restore_checkpoint(Trainer& trainer, const LoadedModel& loaded) {
  if (!loaded.is_checkpoint) throw Error("This model file is not a checkpoint: it has no training state to resume.");
  trainer.restore(loaded.resumable, loaded.optimizer, loaded.state);
}

}  // namespace charrnn

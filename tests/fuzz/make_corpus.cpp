// Writes the fuzzer's seed corpus with the project's own core: tiny models and checkpoints of every
// cell (rnn, lstm, gru) and every optimiser (rmsprop, adam, adagrad), weights in float32 and
// float16, one and two layers. Usage: make_corpus DIR   (prints how many files it wrote)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "model/config.h"
#include "errors.h"
#include "files/model_file.h"
#include "files/safetensors.h"
#include "training/trainer.h"

namespace {

using namespace charrnn;

const std::string kText =
    "the cat sat on the mat.\n"
    "a dog, a log; a fog!\n"
    "ROMEO: O? \xC3\xA9t\xC3\xA9 \xE2\x80\x94 fin.\n";  // a few two- and three-byte code points

// Writes one seed, after checking that it loads (a seed the loader refuses would be wasted).
void write(const std::string& dir, const std::string& name, const std::string& bytes, int& count) {
  const LoadedModel loaded = load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (loaded.is_checkpoint != (name.rfind("checkpoint-", 0) == 0)) throw Error(name + " loads as the wrong kind");
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("cannot write " + dir + "/" + name);
  count++;
}

// The same file with the model's weights stored as float16 (optimiser moments and carried state
// stay float32). save_model writes checkpoints in float32 only, but the loader reads F16 for any
// tensor, so such a file is valid and worth mutating.
std::string weights_as_f16(const std::string& file) {
  const SafeTensorsView view = parse_safetensors(reinterpret_cast<const uint8_t*>(file.data()), file.size());
  std::vector<const SafeTensorEntry*> order;
  for (const auto& kv : view.tensors) order.push_back(&kv.second);
  std::sort(order.begin(), order.end(),
            [](const SafeTensorEntry* a, const SafeTensorEntry* b) { return a->begin < b->begin; });
  std::vector<std::vector<float>> values;
  std::vector<TensorToWrite> tensors;
  values.reserve(order.size());
  for (const SafeTensorEntry* e : order) {
    values.push_back(view.read_floats(e->name, e->shape));
    const bool weight = e->name.rfind("optimizer.", 0) != 0 && e->name.rfind("state.", 0) != 0;
    tensors.push_back({e->name, e->shape, values.back().data(), weight});
  }
  return write_safetensors(view.metadata, tensors);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  int count = 0;
  try {
    const CellType cells[] = {CellType::RNN, CellType::LSTM, CellType::GRU};
    const OptimizerType optimizers[] = {OptimizerType::RMSProp, OptimizerType::Adam, OptimizerType::Adagrad};
    for (CellType cell : cells) {
      for (OptimizerType opt : optimizers) {
        const int layers = opt == OptimizerType::Adam ? 2 : 1;
        ModelConfig mc;
        mc.cell = cell;
        mc.embed_size = 4;
        mc.hidden_size = 6;
        mc.layers = layers;
        // Per-layer sizes (model_config's hidden_sizes) for the 2-layer LSTM and GRU; the RNN stays uniform.
        if (layers > 1 && cell != CellType::RNN) mc.hidden_sizes = {6, 3};
        mc.dropout = layers > 1 ? 0.1f : 0.0f;
        TrainConfig tc;
        tc.batch_size = 2;
        tc.seq_len = 5;
        tc.optimizer = opt;
        tc.learning_rate = 1e-2f;
        tc.lr_decay = 0.9f;
        tc.lr_decay_every = 2;
        tc.seed = 11 + static_cast<uint64_t>(opt);
        Trainer trainer(create_model_for_text(kText, mc, tc), tc, kText);
        for (int i = 0; i < 3; i++) trainer.step();
        const std::string stem = std::string(cell_name(cell)) + "-" + optimizer_name(opt) + "-" +
                                 std::to_string(layers) + "layer";
        SaveOptions model_f32, model_f16, checkpoint;
        model_f16.f16 = true;
        checkpoint.checkpoint = true;
        write(dir, "model-" + stem + "-f32.safetensors", save_model(trainer.model(), nullptr, model_f32), count);
        write(dir, "model-" + stem + "-f16.safetensors", save_model(trainer.model(), nullptr, model_f16), count);
        const std::string ckpt = save_model(trainer.model(), &trainer, checkpoint);
        write(dir, "checkpoint-" + stem + "-f32.safetensors", ckpt, count);
        write(dir, "checkpoint-" + stem + "-f16.safetensors", weights_as_f16(ckpt), count);
      }
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "make_corpus: %s\n", e.what());
    return 1;
  }
  std::printf("make_corpus: wrote %d files to %s\n", count, dir.c_str());
  return 0;
}

// libFuzzer target over everything a model file reaches: load_model on the raw bytes; if it loads,
// a short sample; if it is a checkpoint, a Trainer built from its model and training settings on a
// small text made of its own vocabulary, restore_checkpoint and one training step.
// Every input must either succeed or throw charrnn::Error: any other exception, crash, sanitizer
// report, leak or timeout is a finding. Build and run: scripts/fuzz.sh (see tests/fuzz/README.md).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/config.h"
#include "errors.h"
#include "files/model_file.h"
#include "generation/sampler.h"
#include "training/trainer.h"
#include "text/utf8.h"

namespace {

using namespace charrnn;

// A harness limit, not a loader limit: a checkpoint may legitimately ask for a training set-up of
// up to kMaxTrainingBytes (2 GiB), which would only make the fuzzer slow or run out of memory.
constexpr double kMaxFuzzTrainingBytes = 32.0 * 1024 * 1024;

// Just long enough to train one step of seq_len with the checkpoint's validation fraction.
std::string text_from_vocabulary(const Vocab& vocab, const TrainConfig& train) {
  const double need = (static_cast<double>(train.seq_len) + 2.0) / (1.0 - static_cast<double>(train.val_fraction));
  const size_t n = static_cast<size_t>(need) + 2 + static_cast<size_t>(vocab.size());
  std::string text;
  for (size_t i = 0; i < n; i++) append_utf8(text, vocab.symbols()[i % vocab.symbols().size()]);
  return text;
}

void use(const LoadedModel& loaded) {
  SampleOptions options;
  options.seed = 3;
  sample_text(loaded.model, "", 20, options);
  if (!loaded.is_checkpoint) return;
  if (estimate_training_bytes(loaded.model.config, loaded.train_config) > kMaxFuzzTrainingBytes) return;
  Trainer trainer(loaded.model, loaded.train_config, text_from_vocabulary(loaded.model.vocab, loaded.train_config));
  restore_checkpoint(trainer, loaded);
  trainer.step();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    use(load_model(data, size));
  } catch (const charrnn::Error&) {
    // Refused with a message for the user: the expected outcome for most inputs.
  }
  // Any other exception escapes and libFuzzer reports it as a crash ("deadly signal" after abort).
  return 0;
}

#include "train_command.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>

#include "errors.h"
#include "file_io.h"
#include "model_loading.h"
#include "recipe_settings.h"
#include "training/trainer.h"
#include "thread_pool.h"
#include "training_run.h"

namespace charrnn_cli {

namespace {

// A new trainer on the text with the recipe's settings and the given ones (its sentence goes in
// `said`), or the checkpoint's trainer continued exactly.
std::unique_ptr<charrnn::Trainer> make_trainer(const TrainOptions& o, const std::string& text, ThreadPool& pool,
                                               std::string& said) {
  const auto parallelism = [&](int batch) {
    return charrnn::Parallelism{std::min(pool.threads(), batch),
                                [&pool](int n, const std::function<void(int)>& body) { pool.for_each(n, body); }};
  };
  if (!o.resume.empty()) {
    charrnn::LoadedModel loaded = load_model_file(o.resume, "checkpoint");
    if (!loaded.is_checkpoint)
      throw charrnn::Error("'" + o.resume + "' is a model without training state, not a checkpoint: --resume needs a "
                           "checkpoint from --checkpoint-dir.");
    const int batch = loaded.train_config.batch_size;
    auto trainer = std::make_unique<charrnn::Trainer>(std::move(loaded.model), loaded.train_config, text, parallelism(batch));
    charrnn::restore_checkpoint(*trainer, loaded);
    return trainer;
  }
  const RunSettings s = settings_for_new_run(o, count_chars(text));
  said = describe_recipe(s);
  return std::make_unique<charrnn::Trainer>(charrnn::create_model_for_text(text, s.model, s.train), s.train, text,
                                            parallelism(s.train.batch_size));
}

}  // namespace

int run_train(const TrainOptions& o) {
  ThreadPool pool(o.threads > 0 ? o.threads : hardware_threads());  // outlives the trainer that uses it
  std::unique_ptr<charrnn::Trainer> trainer;
  std::string recipe;
  {
    const std::string text = read_file(o.data, "training text");  // freed once the trainer has its ids
    trainer = make_trainer(o, text, pool, recipe);
  }
  TrainingRun run(o, *trainer, recipe);
  return run.run();
}

}  // namespace charrnn_cli

#include "training/best_weights.h"

#include <cmath>

#include "model/config.h"
#include "errors.h"

namespace charrnn {

bool BestWeights::offer(const Trainer& trainer, double loss) {
  if (!std::isfinite(loss)) return false;
  if (!empty() && !(loss < val_loss)) return false;
  params = trainer.model().params;  // reuses the buffer after the first copy
  iteration = trainer.iteration();
  val_loss = loss;
  return true;
}

void BestWeights::restore_into(Trainer& trainer) const {
  if (empty()) throw Error("There are no best weights yet: they are kept at the first validation.");
  trainer.set_weights(params);
}

std::string BestWeights::save(const Trainer& trainer, bool f16) const {
  if (empty()) throw Error("There are no best weights yet: they are kept at the first validation.");
  Model copy;
  copy.config = trainer.model().config;
  copy.vocab = trainer.model().vocab;
  copy.layout = trainer.model().layout;
  copy.params = params;
  copy.lines = trainer.model().lines;  // a lines model's samples are lines, its best weights' too
  SaveOptions options;
  options.f16 = f16;
  options.iteration = iteration;
  options.val_loss = val_loss;
  return save_model(copy, nullptr, options);
}

void BestWeights::adopt(const LoadedModel& loaded, const Trainer& trainer) {
  const Model& m = trainer.model();
  ModelConfig a = loaded.model.config, b = m.config;
  a.dropout = b.dropout = 0.0f;  // dropout may change during training; the weights do not depend on it
  if (to_json(a) != to_json(b) || loaded.model.vocab.symbols() != m.vocab.symbols())
    throw Error("These best weights belong to another model (its configuration or vocabulary differs).");
  if (!std::isfinite(loaded.val_loss))
    throw Error("This file does not say its validation loss, so it cannot stand as the best weights.");
  params = loaded.model.params;
  iteration = loaded.iteration;
  val_loss = loaded.val_loss;
}

}  // namespace charrnn

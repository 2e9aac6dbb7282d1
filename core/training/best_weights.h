// The weights with the lowest validation loss so far, kept beside the ones training goes on with:
// when validation loss climbs while training loss falls (overfitting), the best model is still
// there to save or to go back to. The engine copies the weights; the page only asks.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "files/model_file.h"
#include "training/trainer.h"

namespace charrnn {

struct BestWeights {
  std::vector<float> params;  // [P] in the trainer's layout; empty until weights are kept
  int64_t iteration = 0;  // the iteration they were measured at
  double val_loss = std::numeric_limits<double>::quiet_NaN();  // their validation loss (nats/char)

  bool empty() const { return params.empty(); }

  // Keeps the trainer's current weights when val_loss is finite and below the kept one's (or
  // nothing is kept yet). Returns whether it did.
  bool offer(const Trainer& trainer, double val_loss);

  // Puts the kept weights back into the trainer (see Trainer::set_weights). Throws when empty.
  void restore_into(Trainer& trainer) const;

  // A model file of the kept weights, recording their iteration and validation loss.
  std::string save(const Trainer& trainer, bool f16) const;

  // Takes weights from a model file of the same model (the autosave's copy of the best): its
  // configuration and vocabulary must be the trainer's, and its metadata gives iteration and loss.
  void adopt(const LoadedModel& loaded, const Trainer& trainer);
};

}  // namespace charrnn

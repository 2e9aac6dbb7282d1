// The weights `charrnn train` writes at the end: --save gets the ones with the lowest validation
// loss (the core's BestWeights, offered at every evaluation), as the page keeps them; --save-latest
// the last step's (the checkpoint holds those too, to resume from). The summary says which, and
// when validation loss has risen well above its best (overfitting).
#pragma once
#include <string>

#include "options.h"
#include "training/best_weights.h"
#include "training/trainer.h"

namespace charrnn_cli {

class KeptWeights {
 public:
  // Validation loss this far above its best (nats/char) is overfitting, not noise: the page's
  // margin (web/views/overfit.js).
  static constexpr double kOverfitMargin = 0.02;

  KeptWeights(const TrainOptions& options, const charrnn::Trainer& trainer);

  // A periodic evaluation (of at most --eval-chars characters): keeps the weights if they are the best.
  void offer(const charrnn::Trainer& trainer, double val_loss);

  // At the end, after the last step's checkpoint. last_val: the last weights' validation loss, over
  // the whole split (`whole`) or as the periodic evaluations measure it. The best are compared
  // with the last on the same measure (re-measured over the whole split when the periodic
  // evaluations covered less; the trainer's weights are the last step's again afterwards).
  // Writes --save and --save-latest; returns the summary's lines about them.
  std::string finish(charrnn::Trainer& trainer, double last_val, bool whole);

 private:
  const TrainOptions& o_;
  charrnn::BestWeights best_;
  bool periodic_whole_;  // the periodic evaluations cover the whole validation split
};

}  // namespace charrnn_cli

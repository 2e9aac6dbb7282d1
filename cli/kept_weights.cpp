#include "kept_weights.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "file_io.h"
#include "files/model_file.h"

namespace charrnn_cli {

namespace {

std::string loss(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

KeptWeights::KeptWeights(const TrainOptions& o, const charrnn::Trainer& t)
    : o_(o), periodic_whole_(o.eval_chars == 0 || static_cast<int64_t>(t.val_chars()) <= o.eval_chars) {}

void KeptWeights::offer(const charrnn::Trainer& t, double val) { best_.offer(t, val); }

std::string KeptWeights::finish(charrnn::Trainer& t, double last_val, bool whole) {
  const int64_t last_step = t.iteration();
  if (!whole || periodic_whole_) {
    best_.offer(t, last_val);
  } else if (!best_.empty() && best_.iteration != last_step) {
    // The best were measured on the first --eval-chars characters: measure them as the last were.
    const std::vector<float> last = t.model().params;
    best_.restore_into(t);
    best_.val_loss = t.evaluate(-1);
    t.set_weights(last);
    best_.offer(t, last_val);  // the last step's weights when they turn out better
  }
  const bool best_is_last = best_.empty() || best_.iteration == last_step;
  const auto save_last = [&](const std::string& path) {
    charrnn::SaveOptions options;
    options.f16 = o_.f16;
    options.val_loss = last_val;
    write_file_atomically(path, charrnn::save_model(t.model(), &t, options));
  };
  if (!o_.save_latest.empty()) save_last(o_.save_latest);

  std::string out;
  if (!o_.save.empty()) {
    if (best_is_last) save_last(o_.save);
    else write_file_atomically(o_.save, best_.save(t, o_.f16));
    out += "\nModel: " + o_.save;
    if (std::isnan(last_val))
      out += " (the last step's weights: there is no validation split to pick the best by)";
    else if (best_is_last)
      out += " (the last step's weights, also the best: validation loss " + loss(last_val) + ")";
    else
      out += " (the best weights: step " + std::to_string(best_.iteration) + ", validation loss " +
             loss(best_.val_loss) + "; the last step's, at " + loss(last_val) + ", are in the checkpoint" +
             (o_.save_latest.empty() ? ", and --save-latest FILE writes them too)" : " and " + o_.save_latest + ")");
  }
  if (!o_.save_latest.empty() && (o_.save.empty() || best_is_last))
    out += "\nThe last step's weights: " + o_.save_latest;
  if (!best_is_last && last_val >= best_.val_loss + kOverfitMargin)
    out += "\nOverfitting: validation loss rose from " + loss(best_.val_loss) + " at step " +
           std::to_string(best_.iteration) + " to " + loss(last_val) +
           " as the model learnt its training text by heart. " +
           (o_.save.empty() ? "--save FILE keeps the best weights; " : "--save kept the best weights; ") +
           "more --dropout, a smaller --hidden or fewer steps stop it sooner.";
  return out;
}

}  // namespace charrnn_cli

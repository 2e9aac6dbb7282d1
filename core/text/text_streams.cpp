#include "text/text_streams.h"

#include <algorithm>

namespace charrnn {

TextStreams::TextStreams(const std::vector<int32_t>* ids, int B, int T) : ids_(ids), B_(B), T_(T) {
  usable_ = static_cast<int64_t>(ids->size()) - 1;
  starts_.resize(static_cast<size_t>(B));
  for (int b = 0; b < B; b++) starts_[static_cast<size_t>(b)] = usable_ * b / B;
  steps_per_epoch_ = std::max<int64_t>(1, (usable_ / B) / T);
}

bool TextStreams::next(int32_t* inputs, int32_t* targets) {
  const bool epoch_start = step_in_epoch_ == 0;
  const int32_t* ids = ids_->data();
  for (int b = 0; b < B_; b++) {
    int64_t pos = (starts_[static_cast<size_t>(b)] + step_in_epoch_ * T_) % usable_;
    for (int t = 0; t < T_; t++) {
      const size_t row = static_cast<size_t>(t) * B_ + b;
      inputs[row] = ids[pos];
      targets[row] = ids[pos + 1];
      if (++pos == usable_) pos = 0;
    }
  }
  step_in_epoch_ = (step_in_epoch_ + 1) % steps_per_epoch_;
  return epoch_start;
}

bool TextStreams::next(int32_t* inputs, int32_t* targets, uint8_t* fresh) {
  const bool epoch_start = next(inputs, targets);
  std::fill(fresh, fresh + B_, static_cast<uint8_t>(epoch_start));
  return epoch_start;
}

}  // namespace charrnn

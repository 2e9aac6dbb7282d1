// char-rnn's batching: the text is cut into B contiguous streams; each step takes the next T
// characters of every stream, so the hidden state carried from one step to the next belongs to
// the text that follows. An epoch ends when the streams reach the end of their part.
// A text shorter than B*T still trains: the streams then overlap (starting points spread evenly).
#pragma once
#include <cstdint>
#include <vector>

#include "text/batch_source.h"

namespace charrnn {

class TextStreams : public BatchSource {
 public:
  TextStreams() = default;
  TextStreams(const std::vector<int32_t>* ids, int B, int T);

  // Fills inputs and targets [T*B] (time-major, row t*B + b) with the step's chunk and advances.
  // Returns true when this chunk is the first of an epoch (the caller resets the hidden state).
  bool next(int32_t* inputs, int32_t* targets);
  // BatchSource: every stream starts afresh at an epoch's start only.
  bool next(int32_t* inputs, int32_t* targets, uint8_t* fresh) override;

  int64_t steps_per_epoch() const override { return steps_per_epoch_; }
  int64_t step_in_epoch() const override { return step_in_epoch_; }
  void set_step_in_epoch(int64_t k) override { step_in_epoch_ = k % steps_per_epoch_; }

 private:
  const std::vector<int32_t>* ids_ = nullptr;
  int B_ = 0, T_ = 0;
  int64_t usable_ = 0;  // positions that have a next character
  int64_t steps_per_epoch_ = 1, step_in_epoch_ = 0;
  std::vector<int64_t> starts_;
};

}  // namespace charrnn

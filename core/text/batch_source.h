// Where a trainer's batches come from. Two sources: TextStreams (char-rnn's B contiguous streams
// through the text, the hidden state carried from step to step) and LineExamples (each line one
// example from a fresh state, padded to the chunk). The trainer only sees this interface.
//
// Shapes: inputs, targets [T*B] time-major (row t*B + b); fresh [B].
#pragma once
#include <cstdint>

namespace charrnn {

// A target the loss ignores (padding after a line's end): no loss, no gradient.
constexpr int32_t kNoTarget = -1;

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  // Fills the step's chunk and advances. fresh[b] = 1 when stream b starts a new example here
  // (its carried state must be zeroed first), 0 when it continues the one before. Returns true
  // when this chunk is the first of an epoch.
  virtual bool next(int32_t* inputs, int32_t* targets, uint8_t* fresh) = 0;
  virtual int64_t steps_per_epoch() const = 0;
  virtual int64_t step_in_epoch() const = 0;
  virtual void set_step_in_epoch(int64_t k) = 0;
};

}  // namespace charrnn

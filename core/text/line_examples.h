// Lines as examples (RecurrentJS's sentence mode). The text is a list of lines; each line is one
// example that starts from a fresh (zero) state with a line break as its first input — the start
// context the sampler uses — and predicts its characters and then the line break that ends it:
//
//   inputs   \n  c1  c2 ... ck
//   targets  c1  c2  c3 ... \n        k + 1 predictions
//
// An example is cut into chunks of T predictions (the state carried from one chunk of a line to
// the next); a line's last chunk is padded to T with kNoTarget targets, which the loss ignores.
// Each of the B streams works through its own list of lines: the lines are shuffled once (seeded)
// and dealt to the streams so that their chunk counts balance. Empty lines are not examples.
//
// Shapes: inputs, targets [T*B] time-major (row t*B + b); fresh [B].
#pragma once
#include <cstdint>
#include <vector>

#include "text/batch_source.h"

namespace charrnn {

class LineExamples : public BatchSource {
 public:
  // What a stream does once it has been through its lines, until the longest stream is done:
  // training starts its lines again (no step is wasted), evaluation pads (each line counts once).
  enum class AtEnd { Wrap, Pad };

  LineExamples() = default;
  // ids: lines separated by newline_id (the training or validation part of split_lines()).
  LineExamples(const std::vector<int32_t>* ids, int32_t newline_id, int B, int T, uint64_t seed, AtEnd at_end);

  bool next(int32_t* inputs, int32_t* targets, uint8_t* fresh) override;
  int64_t steps_per_epoch() const override { return steps_per_epoch_; }
  int64_t step_in_epoch() const override { return step_in_epoch_; }
  void set_step_in_epoch(int64_t k) override { step_in_epoch_ = k % steps_per_epoch_; }

  int64_t lines() const { return lines_; }

 private:
  // T predictions (or fewer, at a line's end) of one line's example.
  struct Chunk {
    int64_t line_start = 0;  // index in ids of the line's first character
    int32_t line_length = 0;  // k, without the line break
    int32_t offset = 0;  // the chunk's first prediction within the example: 0, T, 2T, ...
  };
  void fill(const Chunk* chunk, int b, int32_t* inputs, int32_t* targets) const;

  const std::vector<int32_t>* ids_ = nullptr;
  int32_t newline_ = 0;
  int B_ = 0, T_ = 0;
  AtEnd at_end_ = AtEnd::Wrap;
  int64_t lines_ = 0, steps_per_epoch_ = 1, step_in_epoch_ = 0;
  std::vector<std::vector<Chunk>> schedule_;  // [B] each stream's chunks, in order
};

}  // namespace charrnn

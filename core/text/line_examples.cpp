#include "text/line_examples.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

#include "numerics/rng.h"

namespace charrnn {

LineExamples::LineExamples(const std::vector<int32_t>* ids, int32_t newline_id, int B, int T, uint64_t seed,
                           AtEnd at_end)
    : ids_(ids), newline_(newline_id), B_(B), T_(T), at_end_(at_end) {
  struct Line {
    int64_t start;
    int32_t length;
  };
  std::vector<Line> lines;
  const int64_t n = static_cast<int64_t>(ids->size());
  for (int64_t start = 0; start < n;) {
    int64_t end = start;
    while (end < n && (*ids)[static_cast<size_t>(end)] != newline_id) end++;
    if (end > start) lines.push_back({start, static_cast<int32_t>(end - start)});
    start = end + 1;
  }
  lines_ = static_cast<int64_t>(lines.size());
  // Shuffled once, so a sorted list (names A to Z) does not fill each batch with neighbours.
  Rng rng(seed ^ 0x6C696E6573ull);  // "lines": apart from the dropout generators' seeds
  for (size_t i = lines.size(); i > 1; i--) std::swap(lines[i - 1], lines[rng.next_u32() % i]);
  // Dealt to the stream with the fewest chunks so far (ties: the lowest stream).
  schedule_.assign(static_cast<size_t>(B), {});
  using Load = std::pair<int64_t, int>;  // (chunks, stream)
  std::priority_queue<Load, std::vector<Load>, std::greater<Load>> load;
  for (int b = 0; b < B; b++) load.push({0, b});
  for (const Line& line : lines) {
    auto [chunks, b] = load.top();
    load.pop();
    const int32_t predictions = line.length + 1;
    for (int32_t offset = 0; offset < predictions; offset += T) {
      schedule_[static_cast<size_t>(b)].push_back({line.start, line.length, offset});
      chunks++;
    }
    load.push({chunks, b});
  }
  // Fewer lines than streams: in training the idle streams repeat a busy stream's lines.
  if (at_end_ == AtEnd::Wrap && !lines.empty())
    for (size_t b = lines.size(); b < schedule_.size(); b++) schedule_[b] = schedule_[b % lines.size()];
  for (const auto& s : schedule_) steps_per_epoch_ = std::max<int64_t>(steps_per_epoch_, static_cast<int64_t>(s.size()));
}

void LineExamples::fill(const Chunk* c, int b, int32_t* inputs, int32_t* targets) const {
  const int32_t* ids = ids_->data();
  for (int t = 0; t < T_; t++) {
    const size_t row = static_cast<size_t>(t) * B_ + b;
    const int32_t p = c ? c->offset + t : 0;  // prediction p of the example: input p, target p + 1
    if (!c || p > c->line_length) {  // past the line break: padding
      inputs[row] = newline_;
      targets[row] = kNoTarget;
      continue;
    }
    inputs[row] = p == 0 ? newline_ : ids[c->line_start + p - 1];
    targets[row] = p < c->line_length ? ids[c->line_start + p] : newline_;
  }
}

bool LineExamples::next(int32_t* inputs, int32_t* targets, uint8_t* fresh) {
  const bool epoch_start = step_in_epoch_ == 0;
  for (int b = 0; b < B_; b++) {
    const std::vector<Chunk>& s = schedule_[static_cast<size_t>(b)];
    const Chunk* c = nullptr;
    if (at_end_ == AtEnd::Wrap && !s.empty()) c = &s[static_cast<size_t>(step_in_epoch_ % static_cast<int64_t>(s.size()))];
    if (at_end_ == AtEnd::Pad && step_in_epoch_ < static_cast<int64_t>(s.size())) c = &s[static_cast<size_t>(step_in_epoch_)];
    fresh[b] = !c || c->offset == 0;
    fill(c, b, inputs, targets);
  }
  step_in_epoch_ = (step_in_epoch_ + 1) % steps_per_epoch_;
  return epoch_start;
}

}  // namespace charrnn

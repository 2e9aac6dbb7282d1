// The lines mode's data side: lines become examples that start afresh (a line break as input),
// long lines are cut into chunks that carry the state, short ones are padded with targets the loss
// ignores; validation holds out whole lines (or none); the text's lines mark sampled ones.
#include <algorithm>
#include <cmath>
#include <set>

#include "text/line_examples.h"
#include "numerics/softmax_loss.h"
#include "test_helpers.h"
#include "text/text_lines.h"

namespace charrnn {
namespace {

constexpr int32_t NL = 0;

// Lines of ids 1.. separated by NL: {2, 3, 1} -> [1 2 NL 3 4 5 NL 6 NL].
std::vector<int32_t> lines_of(const std::vector<int>& lengths) {
  std::vector<int32_t> ids;
  int32_t next = 1;
  for (int n : lengths) {
    for (int i = 0; i < n; i++) ids.push_back(next++);
    ids.push_back(NL);
  }
  return ids;
}

struct Batch {
  std::vector<int32_t> in, tg;
  std::vector<uint8_t> fresh;
  bool epoch_start;
};

Batch next_batch(LineExamples& ex, int B, int T) {
  Batch b{std::vector<int32_t>(static_cast<size_t>(B * T)), std::vector<int32_t>(static_cast<size_t>(B * T)),
          std::vector<uint8_t>(static_cast<size_t>(B)), false};
  b.epoch_start = ex.next(b.in.data(), b.tg.data(), b.fresh.data());
  return b;
}

TEST(LineExamples, EachLineStartsFromALineBreakAndEndsPredictingOne) {
  const std::vector<int32_t> ids = lines_of({3});  // 1 2 3 NL
  LineExamples ex(&ids, NL, /*B=*/1, /*T=*/6, 1, LineExamples::AtEnd::Wrap);
  const Batch b = next_batch(ex, 1, 6);
  EXPECT_TRUE(b.epoch_start);
  EXPECT_EQ(b.fresh[0], 1);
  EXPECT_EQ(b.in, (std::vector<int32_t>{NL, 1, 2, 3, NL, NL}));
  EXPECT_EQ(b.tg, (std::vector<int32_t>{1, 2, 3, NL, kNoTarget, kNoTarget})) << "padded after the line break";
}

TEST(LineExamples, ALongLineIsCutIntoChunksThatCarryTheState) {
  const std::vector<int32_t> ids = lines_of({5});  // 6 predictions, T = 4: two chunks
  LineExamples ex(&ids, NL, 1, 4, 1, LineExamples::AtEnd::Pad);
  EXPECT_EQ(ex.steps_per_epoch(), 2);
  const Batch a = next_batch(ex, 1, 4), b = next_batch(ex, 1, 4);
  EXPECT_EQ(a.fresh[0], 1);
  EXPECT_EQ(a.in, (std::vector<int32_t>{NL, 1, 2, 3}));
  EXPECT_EQ(a.tg, (std::vector<int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(b.fresh[0], 0) << "the second chunk continues the line";
  EXPECT_EQ(b.in, (std::vector<int32_t>{4, 5, NL, NL}));
  EXPECT_EQ(b.tg, (std::vector<int32_t>{5, NL, kNoTarget, kNoTarget}));
}

TEST(LineExamples, EveryLineIsSeenOncePerEpochAndStreamsBalance) {
  const std::vector<int32_t> ids = lines_of({2, 7, 1, 3, 3, 9, 4, 2, 5, 6});
  const int B = 3, T = 4;
  LineExamples ex(&ids, NL, B, T, 9, LineExamples::AtEnd::Pad);
  EXPECT_EQ(ex.lines(), 10);
  std::multiset<int32_t> first_chars;  // each line's first character, seen where a stream starts afresh
  int64_t targets = 0;
  for (int64_t k = 0; k < ex.steps_per_epoch(); k++) {
    const Batch b = next_batch(ex, B, T);
    EXPECT_EQ(b.epoch_start, k == 0);
    for (int s = 0; s < B; s++)
      if (b.fresh[static_cast<size_t>(s)] && b.tg[static_cast<size_t>(s)] != kNoTarget) first_chars.insert(b.tg[static_cast<size_t>(s)]);
    targets += std::count_if(b.tg.begin(), b.tg.end(), [](int32_t t) { return t != kNoTarget; });
  }
  EXPECT_EQ(targets, 2 + 7 + 1 + 3 + 3 + 9 + 4 + 2 + 5 + 6 + 10) << "each character and each line break once";
  EXPECT_EQ(first_chars, (std::multiset<int32_t>{1, 3, 10, 11, 14, 17, 26, 30, 32, 37}));
  // 16 chunks over 3 streams: the longest stream has at most a longest line's chunks more than 16/3.
  EXPECT_LE(ex.steps_per_epoch(), 16 / 3 + 3);
}

TEST(LineExamples, TrainingWrapsStreamsThatFinishEarlyAndFillsIdleOnes) {
  const std::vector<int32_t> ids = lines_of({2});  // one line, three streams
  LineExamples ex(&ids, NL, 3, 3, 1, LineExamples::AtEnd::Wrap);
  const Batch b = next_batch(ex, 3, 3);
  for (int s = 0; s < 3; s++) {
    EXPECT_EQ(b.fresh[static_cast<size_t>(s)], 1);
    EXPECT_EQ(b.tg[static_cast<size_t>(s)], 1) << "stream " << s << " trains the line too";
  }
}

TEST(LineExamples, EmptyLinesAreNotExamples) {
  const std::vector<int32_t> ids = {NL, 1, 2, NL, NL, NL, 3, NL};
  LineExamples ex(&ids, NL, 1, 8, 1, LineExamples::AtEnd::Pad);
  EXPECT_EQ(ex.lines(), 2);
}

TEST(SoftmaxLoss, PaddingAddsNoLossAndNoGradient) {
  const int V = 3;
  std::vector<float> logits = {0.5f, -1.0f, 2.0f, 1.0f, 1.0f, 0.0f};
  std::vector<float> one_row(logits.begin(), logits.begin() + V);
  const std::vector<int32_t> padded = {2, kNoTarget}, single = {2};
  const double loss = softmax_cross_entropy_forward(logits.data(), padded.data(), 2, V);
  EXPECT_DOUBLE_EQ(loss, softmax_cross_entropy_forward(one_row.data(), single.data(), 1, V));
  softmax_cross_entropy_backward(logits.data(), padded.data(), 2, V, 1.0f);
  for (int v = 0; v < V; v++) EXPECT_EQ(logits[static_cast<size_t>(V + v)], 0.0f);
  EXPECT_LT(logits[2], 0.0f) << "the real target's gradient is p - 1";
}

TEST(SplitLines, HoldsOutWholeLinesSpreadThroughTheText) {
  std::string text;
  for (int i = 0; i < 20; i++) text += "line " + std::to_string(i) + "\n";
  TrainConfig tc;
  tc.lines = true;
  tc.val_fraction = 0.1f;
  const std::vector<char32_t> chars(text.begin(), text.end());
  const Vocab vocab = Vocab::from_chars(chars);
  const SplitText s = split_lines(vocab, chars, tc);
  EXPECT_EQ(vocab.decode(s.val), "line 9\nline 19\n") << "2 of 20 lines, whole, each with its line break";
  EXPECT_EQ(s.train.size() + s.val.size(), chars.size());
  tc.val_fraction = 0.0f;
  EXPECT_TRUE(split_lines(vocab, chars, tc).val.empty()) << "none held out: every line trains";
}

TEST(SplitLines, RefusesATextOfOneLine) {
  TrainConfig tc;
  tc.lines = true;
  const std::vector<char32_t> chars = {U'a', U'b'};
  EXPECT_THAT(test::error_message([&] { split_lines(Vocab::from_chars(chars), chars, tc); }),
              test::HasSubstr("one example per line"));
}

TEST(TextLines, KnowsTheTextsWholeLinesOnly) {
  const TextLines lines("\xEF\xBB\xBF" "Anna\nBob\n\nCarla");
  EXPECT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines.contains("Anna")) << "after the byte-order mark";
  EXPECT_TRUE(lines.contains("Carla")) << "the last line needs no line break";
  EXPECT_FALSE(lines.contains("Bo"));
  EXPECT_FALSE(lines.contains("")) << "an empty line is not an example";
}

}  // namespace
}  // namespace charrnn

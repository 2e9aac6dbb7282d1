// The n-gram baseline (inspection/ngram.h): its counts by hand on a tiny text, every context's
// distribution summing to 1 (seen, unseen and short contexts, several orders), order 1 as the
// smoothed unigram frequencies, and its split being the trainer's.
#include <cmath>
#include <map>

#include "inspection/ngram.h"
#include "numerics/rng.h"
#include "test_helpers.h"
#include "text/training_text.h"
#include "text/utf8.h"

namespace charrnn {
namespace {

// "abcab" with a = 0, b = 1, c = 2 (V = 3), counted by hand:
//   counts:        a 2, b 2, c 1;  ab 2, bc 1, ca 1
//   continuation:  N1+(.a) = 2 (the text's start before position 0, c before position 3),
//                  N1+(.b) = 1 (a, twice), N1+(.c) = 1 (b)
// Order 2, D = 0.75. The unigram on continuation counts: k(.) = 2 + 1 + 1 = 4, N1+ = 3:
//   p1(a) = (2 - .75)/4 + .75 * 3/4 * 1/3 = .3125 + .1875 = .5
//   p1(b) = p1(c) = (1 - .75)/4 + .1875 = .25
// The bigram on counts: context a has c(a.) = 2, N1+(a.) = 1; context b has c(b.) = 1, N1+ = 1:
//   p(b | a) = (2 - .75)/2 + .75 * 1/2 * p1(b) = .625 + .09375 = .71875
//   p(a | a) = .375 * p1(a) = .1875,  p(c | a) = .375 * p1(c) = .09375
//   p(c | b) = (1 - .75)/1 + .75 * 1/1 * p1(c) = .25 + .1875 = .4375
// Order 1 on counts: c(.) = 5, N1+ = 3: p(a) = p(b) = 1.25/5 + .75 * 3/5 * 1/3 = .4, p(c) = .05 + .15 = .2
TEST(Ngram, CountsAndProbabilitiesByHand) {
  const std::vector<int32_t> text = {0, 1, 2, 0, 1};
  const NgramModel m = NgramModel::count(text, 3, 2);
  EXPECT_EQ(m.gram_count({0}), 2);
  EXPECT_EQ(m.gram_count({2}), 1);
  EXPECT_EQ(m.gram_count({0, 1}), 2);
  EXPECT_EQ(m.gram_count({1, 2}), 1);
  EXPECT_EQ(m.gram_count({1, 0}), 0);
  EXPECT_EQ(m.continuation_count({0}), 2);
  EXPECT_EQ(m.continuation_count({1}), 1);
  EXPECT_EQ(m.continuation_count({2}), 1);
  const int32_t a = 0, b = 1;
  EXPECT_DOUBLE_EQ(m.probability(&a, 1, 1), 0.71875);
  EXPECT_DOUBLE_EQ(m.probability(&a, 1, 0), 0.1875);
  EXPECT_DOUBLE_EQ(m.probability(&a, 1, 2), 0.09375);
  EXPECT_DOUBLE_EQ(m.probability(&b, 1, 2), 0.4375);

  const NgramModel unigram = NgramModel::count(text, 3, 1);
  EXPECT_DOUBLE_EQ(unigram.probability(nullptr, 0, 0), 0.4);
  EXPECT_DOUBLE_EQ(unigram.probability(nullptr, 0, 1), 0.4);
  EXPECT_DOUBLE_EQ(unigram.probability(nullptr, 0, 2), 0.2);
  // At a text's start the bigram model has no context: its unigram is the highest order, on counts.
  EXPECT_DOUBLE_EQ(m.probability(nullptr, 0, 2), 0.2);
}

// Every context's distribution over the vocabulary sums to 1: contexts from the text (seen),
// random ones (mostly never seen), and shorter ones (a text's start), at orders 1..6.
TEST(Ngram, SumsToOneAtEveryContext) {
  const Vocab vocab = Vocab::from_text(test::small_text());
  const std::vector<int32_t> ids = vocab.encode(test::small_text(), "test");
  const int V = vocab.size();
  Rng rng(3);
  for (int order = 1; order <= 6; order++) {
    const NgramModel m = NgramModel::count(ids, V, order);
    std::vector<std::vector<int32_t>> contexts;
    for (size_t i = 0; i + order < ids.size(); i += 7) contexts.emplace_back(ids.begin() + i, ids.begin() + i + order - 1);
    for (int r = 0; r < 20; r++) {
      std::vector<int32_t> c(static_cast<size_t>(order - 1));
      for (int32_t& id : c) id = static_cast<int32_t>(rng.uniform() * V) % V;
      contexts.push_back(c);
    }
    for (int len = 0; len < order - 1; len++) contexts.emplace_back(ids.begin(), ids.begin() + len);
    for (const auto& c : contexts) {
      double sum = 0.0;
      for (int w = 0; w < V; w++) {
        const double p = m.probability(c.data(), static_cast<int>(c.size()), w);
        ASSERT_GT(p, 0.0);
        sum += p;
      }
      ASSERT_NEAR(sum, 1.0, 1e-9) << "order " << order << ", context of " << c.size();
    }
  }
}

// Order 1 is the training part's character frequencies, discounted and mixed with the uniform
// distribution over the whole text's vocabulary (a character only in the validation part gets
// only the uniform share); the split is the trainer's (split_text).
TEST(Ngram, OrderOneIsTheSmoothedUnigramOfTheTrainersSplit) {
  const std::string text = test::small_text() + "Zz";  // Z, z only in the validation part
  const std::vector<char32_t> chars = decode_training_text(text);
  const Vocab vocab = Vocab::from_chars(chars);
  TrainConfig split;
  split.val_fraction = 0.1f;
  split.seq_len = 1;
  const SplitText parts = split_text(vocab, chars, split);
  const NgramValidation v = ngram_validation(vocab, chars, 0.1f, 1);
  std::map<int32_t, int64_t> counts;
  for (int32_t id : parts.train) counts[id]++;
  const double N = static_cast<double>(parts.train.size()), D = 0.75, V = vocab.size();
  const double types = static_cast<double>(counts.size());
  ASSERT_LT(types, V) << "the test wants a character missing from the training part";
  double loss = 0.0;
  for (int w = 0; w < vocab.size(); w++) {
    const double c = static_cast<double>(counts.count(w) ? counts[w] : 0);
    EXPECT_DOUBLE_EQ(v.model.probability(nullptr, 0, w), std::max(c - D, 0.0) / N + D * types / N / V) << "id " << w;
  }
  for (size_t i = 1; i < parts.val.size(); i++) loss -= std::log(v.model.probability(nullptr, 0, parts.val[i]));
  EXPECT_EQ(v.val_predictions, static_cast<int64_t>(parts.val.size()) - 1);
  EXPECT_NEAR(v.val_loss, loss / static_cast<double>(parts.val.size() - 1), 1e-12);
}

// A higher order predicts a repetitive text better on its validation part; p(actual) reads the
// inspection's start context and restarts its context after a character outside the vocabulary.
TEST(Ngram, HigherOrdersHelpAndPActualFollowsTheContext) {
  std::string text;
  for (int i = 0; i < 40; i++) text += "the cat sat on the mat. ";
  const std::vector<char32_t> chars = decode_training_text(text);
  const Vocab vocab = Vocab::from_chars(chars);
  const double l1 = ngram_validation(vocab, chars, 0.1f, 1).val_loss;
  const double l3 = ngram_validation(vocab, chars, 0.1f, 3).val_loss;
  EXPECT_LT(l3, l1 - 1.0);
  const NgramModel m = ngram_validation(vocab, chars, 0.1f, 3).model;
  const int32_t t = vocab.id(U't'), h = vocab.id(U'h'), e = vocab.id(U'e'), sp = vocab.id(U' ');
  const std::vector<float> p = ngram_p_actual(m, {t, h, e, -1, h}, sp);
  const int32_t ctx_sp_t[] = {sp, t};
  EXPECT_FLOAT_EQ(p[0], static_cast<float>(m.probability(&sp, 1, t)));
  EXPECT_FLOAT_EQ(p[1], static_cast<float>(m.probability(ctx_sp_t, 2, h)));
  EXPECT_FLOAT_EQ(p[3], 0.0f);
  EXPECT_FLOAT_EQ(p[4], static_cast<float>(m.probability(nullptr, 0, h)));
}

// The advantage split by hand: ln(p_net / p_ngram) per character, summed by the character before.
TEST(Ngram, AdvantageFallsWhereItIsEarned) {
  const std::u32string s = U"a\nb)c'dx";
  const std::vector<char32_t> text(s.begin(), s.end());
  const float e = std::exp(1.0f), e2 = std::exp(2.0f);
  // advantages: a 0, \n 0, b 2 (after \n), ) 0, c 1 (after )), ' 0, d 1 (after '), x skipped (p 0)
  const std::vector<float> net = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
  const std::vector<float> ngram = {0.5f, 0.5f, 0.5f / e2, 0.5f, 0.5f / e, 0.5f, 0.5f / e, 0.0f};
  const AdvantageSplit a = split_advantage(text, net, ngram);
  EXPECT_NEAR(a.total_advantage, 4.0, 1e-5);
  EXPECT_EQ(a.chars, 7);
  ASSERT_EQ(a.by_context.size(), 3u);
  EXPECT_EQ(a.by_context[0].after, "line break");
  EXPECT_NEAR(a.by_context[0].advantage_share, 0.5, 1e-6);
  EXPECT_NEAR(a.by_context[0].text_share, 1.0 / 7, 1e-12);
  EXPECT_NEAR(a.by_context[1].advantage_share, 0.25, 1e-6);
  EXPECT_NEAR(a.by_context[2].advantage_share, 0.25, 1e-6);
}

TEST(Ngram, BadOrdersAreRefused) {
  EXPECT_THAT(test::error_message([] { NgramModel::count({0, 1}, 2, 0); }), ::testing::HasSubstr("between 1 and"));
  EXPECT_THAT(test::error_message([] { NgramModel::count({0, 1}, 5000, 6); }), ::testing::HasSubstr("use at most order 4"));
}

}  // namespace
}  // namespace charrnn

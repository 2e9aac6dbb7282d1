// The baseline the network is measured against ("Visualizing and Understanding Recurrent
// Networks", Karpathy, Johnson, Fei-Fei 2015, section 4.3): an interpolated Kneser-Ney character
// n-gram model counted on the same training part of the same text, with the same vocabulary.
//
// Orders 1..n; for a context h of n-1 characters (w a character, h' = h without its oldest):
//   p_n(w | h) = max(c(hw) - D, 0) / c(h.) + D * N1+(h.) / c(h.) * p_{n-1}(w | h')
// where c are the counts of the training text, c(h.) = sum over w of c(hw), N1+(h.) the number of
// distinct w with c(hw) > 0. The lower orders 1 < m < n use the same form on continuation counts
// N1+(.g) (the number of distinct characters seen before the m-gram g; the text's start counts as
// one) in place of c, and the unigram is interpolated with the uniform distribution over the V
// characters of the vocabulary:
//   p_1(w) = max(k(w) - D, 0) / k(.) + D * N1+(k) / k(.) * 1/V
// (k = c for an order-1 model, the continuation counts otherwise). A context never seen at an
// order gives all its weight to the order below. Every level sums to 1 over the vocabulary
// because each counted entry is >= 1 > D. At a text's start, where fewer than n-1 characters came
// before, the order that fits the context is the highest (on counts).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/vocab.h"

namespace charrnn {

constexpr int kDefaultNgramOrder = 5;
constexpr int kMaxNgramOrder = 16;
constexpr double kKneserNeyDiscount = 0.75;

class NgramModel {
 public:
  // Counts ids [N] (each in 0..V-1). Throws charrnn::Error for an order outside 1..kMaxNgramOrder,
  // an order whose n-grams of this vocabulary cannot be keyed in 64 bits, or no ids.
  static NgramModel count(const std::vector<int32_t>& ids, int vocab_size, int order);

  int order() const { return order_; }
  int vocab_size() const { return vocab_size_; }

  // p(w | context): context [len] the characters before w, oldest first; only the last order-1
  // are read (all of them when fewer: a text's start).
  double probability(const int32_t* context, int len, int32_t w) const;

  // Counts of an m-gram (oldest first, 1 <= m <= order), for tests and figures: c(g) and N1+(.g).
  int64_t gram_count(const std::vector<int32_t>& gram) const;
  int64_t continuation_count(const std::vector<int32_t>& gram) const;

 private:
  struct GramCounts {
    int64_t count = 0, continuation = 0;
  };
  struct ContextCounts {
    int64_t count_total = 0, count_types = 0;  // c(h.), N1+(h.) on counts
    int64_t continuation_total = 0, continuation_types = 0;  // the same on continuation counts
  };
  uint64_t key(const int32_t* gram, int m) const;  // oldest id in the lowest bits
  double level(const int32_t* context, int len, int32_t w, bool highest) const;

  int order_ = 0, vocab_size_ = 0, bits_ = 0;
  std::vector<std::unordered_map<uint64_t, GramCounts>> grams_;  // [order] by m-1
  std::vector<std::unordered_map<uint64_t, ContextCounts>> contexts_;  // [order] by m-1, keyed by the m-1 context
};

// A training text split as the trainer splits it (split_text, the same validation fraction),
// the n-gram model counted on its training part, and the mean -ln p over the validation part
// (each validation character after the first, as the trainer evaluates, predicted from the
// validation characters before it). val_loss is NaN when nothing is held out.
struct NgramValidation {
  NgramModel model;
  double val_loss = 0.0;
  int64_t val_predictions = 0;
};
NgramValidation ngram_validation(const Vocab& vocab, const std::vector<char32_t>& chars, float val_fraction, int order);

// p(actual) per character of a text, [N]: ids from the vocabulary, -1 outside it (probability 0;
// the context restarts after it). start_id >= 0: the text is read as if that character came
// before it (the inspection's start context, a line break); -1: the first character is predicted
// from no context.
std::vector<float> ngram_p_actual(const NgramModel& model, const std::vector<int32_t>& ids, int32_t start_id);

// Where the network's advantage over the n-gram falls: for each kind of preceding character, the
// share of sum(ln p_net - ln p_ngram) over the characters that follow one, beside those
// characters' share of the text. Characters with a non-finite or zero probability from either
// model are left out of both sums.
struct AdvantageShare {
  std::string after;  // "line break", "closing bracket", "quote"
  int64_t chars = 0;
  double advantage_share = 0.0, text_share = 0.0;
};
struct AdvantageSplit {
  double total_advantage = 0.0;  // nats, summed
  int64_t chars = 0;  // characters counted
  std::vector<AdvantageShare> by_context;
};
AdvantageSplit split_advantage(const std::vector<char32_t>& text, const std::vector<float>& p_net,
                               const std::vector<float>& p_ngram);

}  // namespace charrnn

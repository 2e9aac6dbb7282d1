#include "inspection/ngram.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "errors.h"
#include "model/config.h"
#include "text/training_text.h"

namespace charrnn {

namespace {

int bits_for(int vocab_size) {
  int bits = 1;
  while ((1ll << bits) < vocab_size) bits++;
  return bits;
}

}  // namespace

NgramModel NgramModel::count(const std::vector<int32_t>& ids, int vocab_size, int order) {
  if (order < 1 || order > kMaxNgramOrder)
    throw Error("The n-gram order must be between 1 and " + std::to_string(kMaxNgramOrder) + "; got " +
                std::to_string(order) + ".");
  if (ids.empty()) throw Error("There is no text to count n-grams on. Use a longer text or a smaller validation fraction.");
  NgramModel m;
  m.order_ = order, m.vocab_size_ = vocab_size, m.bits_ = bits_for(vocab_size);
  if (m.bits_ * order > 64)
    throw Error("An n-gram order of " + std::to_string(order) + " is too high for a vocabulary of " +
                std::to_string(vocab_size) + " characters: use at most order " + std::to_string(64 / m.bits_) + ".");
  m.grams_.resize(static_cast<size_t>(order));
  m.contexts_.resize(static_cast<size_t>(order));
  const size_t N = ids.size();
  // c(g): every m-gram of the text.
  for (int o = 1; o <= order; o++) {
    auto& grams = m.grams_[static_cast<size_t>(o - 1)];
    if (N < static_cast<size_t>(o)) continue;
    grams.reserve(std::min<size_t>(N, 1u << 22));
    for (size_t i = 0; i + o <= N; i++) grams[m.key(ids.data() + i, o)].count++;
  }
  // N1+(.g) for g of order o < n: each distinct (o+1)-gram xg gives g one left neighbour x; the
  // o-gram at the text's start has the start as its one more.
  for (int o = 1; o < order; o++) {
    auto& grams = m.grams_[static_cast<size_t>(o - 1)];
    for (const auto& [longer, counts] : m.grams_[static_cast<size_t>(o)]) {
      (void)counts;
      grams[longer >> m.bits_].continuation++;  // drop the oldest id: the o-gram it extends
    }
    if (N >= static_cast<size_t>(o)) grams[m.key(ids.data(), o)].continuation++;
  }
  // The per-context sums, keyed by the o-gram's oldest o-1 ids.
  for (int o = 1; o <= order; o++) {
    const uint64_t context_mask = o == 1 ? 0 : (~0ull >> (64 - m.bits_ * (o - 1)));
    auto& contexts = m.contexts_[static_cast<size_t>(o - 1)];
    for (const auto& [gram, counts] : m.grams_[static_cast<size_t>(o - 1)]) {
      ContextCounts& c = contexts[gram & context_mask];
      if (counts.count > 0) c.count_total += counts.count, c.count_types++;
      if (counts.continuation > 0) c.continuation_total += counts.continuation, c.continuation_types++;
    }
  }
  return m;
}

uint64_t NgramModel::key(const int32_t* gram, int m) const {
  uint64_t k = 0;
  for (int i = 0; i < m; i++) k |= static_cast<uint64_t>(gram[i]) << (bits_ * i);
  return k;
}

// p_m(w | context) with m = len + 1 (len <= order - 1): on counts when `highest`, on continuation
// counts otherwise; see the header for the equations.
double NgramModel::level(const int32_t* context, int len, int32_t w, bool highest) const {
  const int m = len + 1;
  const auto& grams = grams_[static_cast<size_t>(m - 1)];
  const auto& contexts = contexts_[static_cast<size_t>(m - 1)];
  const uint64_t context_key = key(context, len);
  const auto ctx = contexts.find(context_key);
  int64_t total = 0, types = 0;
  if (ctx != contexts.end()) {
    total = highest ? ctx->second.count_total : ctx->second.continuation_total;
    types = highest ? ctx->second.count_types : ctx->second.continuation_types;
  }
  const double lower = m == 1 ? 1.0 / vocab_size_ : level(context + 1, len - 1, w, false);
  if (total == 0) return lower;  // a context never seen at this order: all weight to the order below
  int64_t c = 0;
  const auto g = grams.find(context_key | (static_cast<uint64_t>(w) << (bits_ * len)));  // the gram: context, then w
  if (g != grams.end()) c = highest ? g->second.count : g->second.continuation;
  const double D = kKneserNeyDiscount, C = static_cast<double>(total);
  return std::max(static_cast<double>(c) - D, 0.0) / C + D * static_cast<double>(types) / C * lower;
}

double NgramModel::probability(const int32_t* context, int len, int32_t w) const {
  const int used = std::min(len, order_ - 1);
  return level(context + (len - used), used, w, true);
}

int64_t NgramModel::gram_count(const std::vector<int32_t>& gram) const {
  const int m = static_cast<int>(gram.size());
  if (m < 1 || m > order_) return 0;
  const auto& grams = grams_[static_cast<size_t>(m - 1)];
  const auto g = grams.find(key(gram.data(), m));
  return g == grams.end() ? 0 : g->second.count;
}

int64_t NgramModel::continuation_count(const std::vector<int32_t>& gram) const {
  const int m = static_cast<int>(gram.size());
  if (m < 1 || m > order_) return 0;
  const auto& grams = grams_[static_cast<size_t>(m - 1)];
  const auto g = grams.find(key(gram.data(), m));
  return g == grams.end() ? 0 : g->second.continuation;
}

NgramValidation ngram_validation(const Vocab& vocab, const std::vector<char32_t>& chars, float val_fraction, int order) {
  TrainConfig split;  // the trainer's split of a stream text; one step is all the n-gram needs
  split.val_fraction = val_fraction;
  split.seq_len = 1;
  const SplitText text = split_text(vocab, chars, split);
  NgramValidation out{NgramModel::count(text.train, vocab.size(), order), std::numeric_limits<double>::quiet_NaN(), 0};
  double loss = 0.0;
  for (size_t i = 1; i < text.val.size(); i++) {
    const int len = static_cast<int>(std::min<size_t>(i, static_cast<size_t>(order - 1)));
    loss -= std::log(out.model.probability(text.val.data() + i - len, len, text.val[i]));
    out.val_predictions++;
  }
  if (out.val_predictions > 0) out.val_loss = loss / static_cast<double>(out.val_predictions);
  return out;
}

std::vector<float> ngram_p_actual(const NgramModel& model, const std::vector<int32_t>& ids, int32_t start_id) {
  std::vector<int32_t> known;  // the known characters since the last unknown one (or the start)
  if (start_id >= 0) known.push_back(start_id);
  std::vector<float> p(ids.size(), 0.0f);
  const int n = model.order();
  for (size_t i = 0; i < ids.size(); i++) {
    if (ids[i] < 0) {
      known.clear();
      continue;
    }
    const int len = std::min(static_cast<int>(known.size()), n - 1);
    p[i] = static_cast<float>(model.probability(known.data() + known.size() - len, len, ids[i]));
    known.push_back(ids[i]);
  }
  return p;
}

AdvantageSplit split_advantage(const std::vector<char32_t>& text, const std::vector<float>& p_net,
                               const std::vector<float>& p_ngram) {
  struct Kind {
    const char* name;
    std::u32string before;  // the characters that, just before, put a character in this kind
  };
  const Kind kinds[] = {{"line break", U"\n"},
                        {"closing bracket", U")]}"},
                        {"quote", U"'\"\u2018\u2019\u201C\u201D\u00AB\u00BB"}};
  AdvantageSplit out;
  std::vector<double> advantage(std::size(kinds), 0.0);
  std::vector<int64_t> count(std::size(kinds), 0);
  const size_t N = std::min({text.size(), p_net.size(), p_ngram.size()});
  for (size_t i = 0; i < N; i++) {
    const float a = p_net[i], b = p_ngram[i];
    if (!(std::isfinite(a) && a > 0.0f && std::isfinite(b) && b > 0.0f)) continue;
    const double adv = std::log(static_cast<double>(a)) - std::log(static_cast<double>(b));
    out.total_advantage += adv;
    out.chars++;
    if (i == 0) continue;
    for (size_t k = 0; k < std::size(kinds); k++)
      if (kinds[k].before.find(text[i - 1]) != std::u32string::npos) advantage[k] += adv, count[k]++;
  }
  for (size_t k = 0; k < std::size(kinds); k++) {
    AdvantageShare s;
    s.after = kinds[k].name;
    s.chars = count[k];
    s.advantage_share = out.total_advantage != 0.0 ? advantage[k] / out.total_advantage : 0.0;
    s.text_share = out.chars > 0 ? static_cast<double>(count[k]) / static_cast<double>(out.chars) : 0.0;
    out.by_context.push_back(s);
  }
  return out;
}

}  // namespace charrnn

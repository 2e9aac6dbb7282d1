#include "text/training_text.h"

#include <algorithm>
#include <cmath>

#include "errors.h"
#include "text/utf8.h"

namespace charrnn {

std::vector<char32_t> decode_training_text(const std::string& bytes) {
  if (bytes.size() >= 2) {
    const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF))
      throw Error("The text is UTF-16 (it starts with a UTF-16 byte-order mark); the trainer reads UTF-8. "
                  "Save the text as UTF-8 and try again.");
  }
  std::vector<char32_t> chars = decode_utf8(bytes);
  // A UTF-8 byte-order mark is a marker, not part of the text: it would become a symbol to learn.
  if (!chars.empty() && chars.front() == 0xFEFF) chars.erase(chars.begin());
  if (chars.empty()) throw Error("The text is empty. Paste or load some text to train on.");
  return chars;
}

size_t validation_chars(size_t chars, float val_fraction) {
  return static_cast<size_t>(static_cast<double>(chars) * val_fraction);
}

TextInfo describe_text(const std::string& bytes, float val_fraction) {
  if (!(val_fraction >= 0.0f && val_fraction <= 0.5f)) throw Error("The validation fraction must be between 0 and 0.5.");
  std::vector<char32_t> chars = decode_training_text(bytes);
  TextInfo info;
  info.chars = static_cast<int64_t>(chars.size());
  info.val_chars = static_cast<int64_t>(validation_chars(chars.size(), val_fraction));
  info.train_chars = info.chars - info.val_chars;
  info.symbols = distinct_sorted(chars);
  return info;
}

SplitText split_text(const Vocab& vocab, const std::vector<char32_t>& chars, const TrainConfig& config) {
  std::vector<int32_t> ids = vocab.encode(chars, "training text");
  if (ids.empty()) throw Error("The text is empty. Paste or load some text to train on.");
  const size_t n = ids.size();
  const size_t n_val = validation_chars(n, config.val_fraction);
  const size_t need = static_cast<size_t>(config.seq_len) + 1;
  if (n - n_val < need) {
    const size_t total_need = static_cast<size_t>(std::ceil(static_cast<double>(need) / (1.0 - config.val_fraction)));
    throw Error("The text is too short: it has " + std::to_string(n) + " characters, and a sequence length of " +
                std::to_string(config.seq_len) + " needs at least " + std::to_string(total_need) +
                " (including the validation part). Use more text or a shorter sequence length.");
  }
  SplitText s;
  s.train.assign(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(n_val));
  s.val.assign(ids.end() - static_cast<std::ptrdiff_t>(n_val), ids.end());
  return s;
}

}  // namespace charrnn

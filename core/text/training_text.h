// A training text from its bytes: decoded once (strict UTF-8; a byte-order mark dropped; UTF-16
// named when that is what it is), its figures for the page's data line, and its split into a
// training part and a held-out validation part taken from the end.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"
#include "text/vocab.h"

namespace charrnn {

// The code points of a training text. Throws charrnn::Error for an empty text, a UTF-16 text
// and invalid UTF-8, each saying what to do.
std::vector<char32_t> decode_training_text(const std::string& bytes);

// The validation part: the last val_fraction of the characters (rounded down).
size_t validation_chars(size_t chars, float val_fraction);

// What the page shows about a text before a model is made from it.
struct TextInfo {
  int64_t chars = 0, train_chars = 0, val_chars = 0;
  std::vector<char32_t> symbols;  // the distinct code points, sorted: the vocabulary a model would get
};
TextInfo describe_text(const std::string& bytes, float val_fraction);

// The training text after the checks: train and validation ids, split from the end.
struct SplitText {
  std::vector<int32_t> train, val;
};

// Encodes with the vocabulary and splits; throws when the text cannot train T steps.
SplitText split_text(const Vocab& vocab, const std::vector<char32_t>& chars, const TrainConfig& config);

}  // namespace charrnn

// A text as a list of lines, for the lines mode (TrainConfig::lines): its split into training and
// held-out lines, and the set of its lines that tells a sampled line from the text from a new one.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/config.h"
#include "text/training_text.h"
#include "text/vocab.h"

namespace charrnn {

// Whether non-empty line i of n is held out for validation: val_fraction of the lines, spread
// evenly through the text (not its end: a sorted list would lose only its last letters). 0: none.
bool line_held_out(int64_t i, float val_fraction);

// Encodes the text's non-empty lines, each followed by a line break, into a training part and a
// validation part of whole lines (line_held_out). Throws when the text has no line break or no
// training line.
SplitText split_lines(const Vocab& vocab, const std::vector<char32_t>& chars, const TrainConfig& config);

// The text's lines (UTF-8, without their line break), to mark sampled lines.
class TextLines {
 public:
  TextLines() = default;
  explicit TextLines(const std::string& utf8_text);  // throws on invalid UTF-8
  bool contains(const std::string& line) const { return lines_.count(line) != 0; }
  size_t size() const { return lines_.size(); }

 private:
  std::unordered_set<std::string> lines_;
};

}  // namespace charrnn

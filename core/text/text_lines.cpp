#include "text/text_lines.h"

#include <cmath>

#include "errors.h"
#include "text/utf8.h"

namespace charrnn {

bool line_held_out(int64_t i, float val_fraction) {
  const double f = val_fraction;
  return std::floor(static_cast<double>(i + 1) * f) > std::floor(static_cast<double>(i) * f);
}

SplitText split_lines(const Vocab& vocab, const std::vector<char32_t>& chars, const TrainConfig& config) {
  if (!vocab.contains(U'\n'))
    throw Error("The text is a single line: treating each line as an example needs a text with one example per "
                "line. Put each example on its own line, or train on the text as one stream.");
  const std::vector<int32_t> ids = vocab.encode(chars, "training text");
  const int32_t nl = vocab.id(U'\n');
  SplitText s;
  int64_t line = 0;
  for (size_t start = 0; start < ids.size();) {
    size_t end = start;
    while (end < ids.size() && ids[end] != nl) end++;
    if (end > start) {
      std::vector<int32_t>& part = line_held_out(line++, config.val_fraction) ? s.val : s.train;
      part.insert(part.end(), ids.begin() + static_cast<std::ptrdiff_t>(start), ids.begin() + static_cast<std::ptrdiff_t>(end));
      part.push_back(nl);
    }
    start = end + 1;
  }
  if (s.train.empty())
    throw Error("The text has no line to train on (" + std::to_string(line) +
                " lines, all held out for validation). Add lines or hold none out.");
  return s;
}

TextLines::TextLines(const std::string& utf8_text) {
  decode_utf8(utf8_text);  // refuses invalid UTF-8 with its own message
  // A UTF-8 byte-order mark is not part of the first line (decode_training_text drops it too).
  const size_t first = utf8_text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  for (size_t start = first; start <= utf8_text.size();) {
    size_t end = utf8_text.find('\n', start);
    if (end == std::string::npos) end = utf8_text.size();
    if (end > start) lines_.insert(utf8_text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace charrnn

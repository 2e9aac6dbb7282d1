// The vocabulary: the distinct Unicode code points of a text, sorted by code point, so the same
// text always gives the same ids on every platform.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace charrnn {

class Vocab {
 public:
  Vocab() = default;
  // Builds the vocabulary of a UTF-8 text (throws on invalid UTF-8 or empty text).
  static Vocab from_text(const std::string& utf8_text);
  static Vocab from_chars(std::vector<char32_t> chars);  // any order, repeats allowed
  static Vocab from_code_points(std::vector<char32_t> code_points);  // must be sorted and distinct

  int size() const { return static_cast<int>(symbols_.size()); }
  const std::vector<char32_t>& symbols() const { return symbols_; }
  bool contains(char32_t cp) const { return index_.count(cp) != 0; }
  int id(char32_t cp) const;  // throws if absent

  // Encodes a UTF-8 text to ids. `what` names the text in the error ("training text", "priming text").
  std::vector<int32_t> encode(const std::string& utf8_text, const char* what) const;
  std::vector<int32_t> encode(const std::vector<char32_t>& chars, const char* what) const;
  // Encodes the characters that are in the vocabulary and leaves the others out; `left_out` (if
  // given) receives each character left out once, in order of appearance. Throws on invalid UTF-8.
  std::vector<int32_t> encode_known(const std::string& utf8_text, std::u32string* left_out) const;
  std::string decode(const std::vector<int32_t>& ids) const;
  std::string symbol_utf8(int id) const;

 private:
  std::vector<char32_t> symbols_;
  std::unordered_map<char32_t, int32_t> index_;
};

// The distinct values of `chars`, sorted. A long text takes one pass over a bitmap of every code
// point instead of a sort of the whole text (1 MB of text: the page's first training step waits
// for this).
std::vector<char32_t> distinct_sorted(const std::vector<char32_t>& chars);

// How a code point is shown in an error message: printable as itself, otherwise as U+XXXX.
std::string describe_code_point(char32_t cp);

}  // namespace charrnn

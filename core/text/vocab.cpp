#include "text/vocab.h"

#include <algorithm>
#include <cstdio>

#include "errors.h"
#include "text/utf8.h"

namespace charrnn {

std::string describe_code_point(char32_t cp) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  if (cp < 0x20 || cp == 0x7F) return buf;
  std::string out = "'";
  append_utf8(out, cp);
  return out + "' (" + buf + ")";
}

Vocab Vocab::from_text(const std::string& utf8_text) { return from_chars(decode_utf8(utf8_text)); }

std::vector<char32_t> distinct_sorted(const std::vector<char32_t>& chars) {
  constexpr size_t kBitmapFrom = 4096;  // below this a sort is cheaper than the 136 KiB bitmap
  constexpr size_t kCodePoints = 0x110000;
  std::vector<char32_t> beyond;  // values past Unicode: only a hostile caller has them; kept, sorted last
  std::vector<char32_t> out;
  if (chars.size() < kBitmapFrom) {
    beyond = chars;
  } else {
    std::vector<uint64_t> seen(kCodePoints / 64, 0);
    for (char32_t cp : chars) {
      if (cp < kCodePoints) seen[cp >> 6] |= uint64_t{1} << (cp & 63);
      else beyond.push_back(cp);
    }
    for (size_t word = 0; word < seen.size(); word++)
      for (uint64_t bits = seen[word]; bits; bits &= bits - 1)
        out.push_back(static_cast<char32_t>(word * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
  }
  std::sort(beyond.begin(), beyond.end());
  beyond.erase(std::unique(beyond.begin(), beyond.end()), beyond.end());
  out.insert(out.end(), beyond.begin(), beyond.end());
  return out;
}

Vocab Vocab::from_chars(std::vector<char32_t> cps) {
  if (cps.empty()) throw Error("The text is empty. Paste or load some text to train on.");
  return from_code_points(distinct_sorted(cps));
}

Vocab Vocab::from_code_points(std::vector<char32_t> cps) {
  Vocab v;
  for (size_t i = 0; i < cps.size(); i++) {
    if (cps[i] > 0x10FFFF || (cps[i] >= 0xD800 && cps[i] <= 0xDFFF))
      throw Error("The vocabulary holds an invalid code point " + describe_code_point(cps[i]) + ".");
    if (i > 0 && cps[i] <= cps[i - 1])
      throw Error("The vocabulary is not sorted and distinct at symbol " + std::to_string(i) + ".");
    v.index_.emplace(cps[i], static_cast<int32_t>(i));
  }
  v.symbols_ = std::move(cps);
  return v;
}

int Vocab::id(char32_t cp) const {
  auto it = index_.find(cp);
  if (it == index_.end()) throw Error("The character " + describe_code_point(cp) + " is not in the vocabulary.");
  return it->second;
}

std::vector<int32_t> Vocab::encode(const std::string& utf8_text, const char* what) const {
  return encode(decode_utf8(utf8_text), what);
}

std::vector<int32_t> Vocab::encode(const std::vector<char32_t>& cps, const char* what) const {
  // ASCII through a table, the rest through the hash map: a 1 MB English text is a million
  // lookups, about 3x faster so.
  int32_t ascii[128];
  for (char32_t cp = 0; cp < 128; cp++) {
    auto it = index_.find(cp);
    ascii[cp] = it == index_.end() ? -1 : it->second;
  }
  std::vector<int32_t> ids;
  ids.reserve(cps.size());
  for (size_t i = 0; i < cps.size(); i++) {
    if (cps[i] < 128 && ascii[cps[i]] >= 0) {
      ids.push_back(ascii[cps[i]]);
      continue;
    }
    auto it = index_.find(cps[i]);
    if (it == index_.end())
      throw Error(std::string("The ") + what + " has the character " + describe_code_point(cps[i]) +
                  " (at character " + std::to_string(i) +
                  ") which is not in the model's vocabulary. Remove it, or train a new model on text that has it.");
    ids.push_back(it->second);
  }
  return ids;
}

std::string Vocab::decode(const std::vector<int32_t>& ids) const {
  std::string out;
  for (int32_t id : ids) append_utf8(out, symbols_.at(static_cast<size_t>(id)));
  return out;
}

std::string Vocab::symbol_utf8(int id) const {
  std::string out;
  append_utf8(out, symbols_.at(static_cast<size_t>(id)));
  return out;
}

std::vector<int32_t> Vocab::encode_known(const std::string& utf8_text, std::u32string* left_out) const {
  std::vector<int32_t> ids;
  for (char32_t cp : decode_utf8(utf8_text)) {
    auto it = index_.find(cp);
    if (it != index_.end()) ids.push_back(it->second);
    else if (left_out && left_out->find(cp) == std::u32string::npos) left_out->push_back(cp);
  }
  return ids;
}

}  // namespace charrnn

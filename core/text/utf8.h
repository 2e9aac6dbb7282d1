// UTF-8 <-> Unicode code points. Decoding is strict: it rejects overlong forms, surrogates and
// truncated sequences, and says at which byte the text stops being valid UTF-8.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace charrnn {

// Throws charrnn::Error naming the byte offset of the first invalid sequence.
std::vector<char32_t> decode_utf8(const std::string& bytes);
std::string encode_utf8(const std::u32string& code_points);
void append_utf8(std::string& out, char32_t code_point);

}  // namespace charrnn

// Shared helpers for the native tests: small configurations, a small text, raw-buffer comparison,
// catching a charrnn::Error's message, and taking a saved model file apart to build hostile ones.
#pragma once
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/config.h"
#include "errors.h"
#include "model/model.h"
#include "files/model_file.h"
#include "training/trainer.h"

namespace charrnn::test {

using ::testing::HasSubstr;

// A short English text with a small vocabulary (enough for several batches of B=4, T=8).
inline const std::string& small_text() {
  static const std::string text =
      "The quick brown fox jumps over the lazy dog.\n"
      "A journey of a thousand miles begins with a single step.\n"
      "All that glitters is not gold.\n"
      "The early bird catches the worm.\n"
      "Practice makes perfect.\n";
  return text;
}

inline ModelConfig small_model_config(CellType cell, int layers = 1, float dropout = 0.0f) {
  ModelConfig c;
  c.cell = cell;
  c.embed_size = 8;
  c.hidden_size = 16;
  c.layers = layers;
  c.dropout = dropout;
  return c;
}

inline TrainConfig small_train_config(OptimizerType opt = OptimizerType::Adam, uint64_t seed = 7) {
  TrainConfig t;
  t.batch_size = 4;
  t.seq_len = 8;
  t.optimizer = opt;
  t.learning_rate = 1e-2f;
  t.seed = seed;
  return t;
}

inline Trainer make_trainer(const ModelConfig& model, const TrainConfig& train, const std::string& text = small_text()) {
  return Trainer(create_model_for_text(text, model, train), train, text);
}

// Exact equality of float buffers, bit for bit (NaN == NaN when their bits agree).
inline bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Fault injection: a test pokes a weight of a live trainer, which the Trainer's API does not allow
// (the optimiser owns the weights while training).
inline float& live_weight(const Trainer& t, const char* tensor, size_t index) {
  Model& m = const_cast<Model&>(t.model());
  for (const TensorSlot& s : m.layout.tensors)
    if (s.name == tensor) return m.params.at(s.offset + index);
  throw std::logic_error(std::string("no tensor ") + tensor);
}

inline LoadedModel load_bytes(const std::string& file) {
  return load_model(reinterpret_cast<const uint8_t*>(file.data()), file.size());
}

// Runs f and returns the message of the charrnn::Error it throws. Anything else is reported as a
// failure message the assertions on the text will not match.
template <typename F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<not a charrnn::Error: ") + e.what() + ">";
  }
  return "<no error thrown>";
}

// A .safetensors file taken apart: its JSON header and its data section.
struct FileParts {
  nlohmann::json header;
  std::string data;
};

inline FileParts split_file(const std::string& file) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; i--) n = (n << 8) | static_cast<uint8_t>(file[static_cast<size_t>(i)]);
  return {nlohmann::json::parse(file.substr(8, n)), file.substr(8 + n)};
}

// Writes the header (any text) back with a correct 8-byte length in front.
inline std::string join_raw(const std::string& header_text, const std::string& data) {
  std::string out;
  const uint64_t n = header_text.size();
  for (int i = 0; i < 8; i++) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return out + header_text + data;
}

inline std::string join_file(const FileParts& parts) { return join_raw(parts.header.dump(), parts.data); }

// The metadata entry `key` (a JSON string holding JSON) parsed, for editing.
inline nlohmann::json meta_json(const FileParts& parts, const char* key) {
  return nlohmann::json::parse(parts.header["__metadata__"][key].get<std::string>());
}

inline void set_meta_json(FileParts& parts, const char* key, const nlohmann::json& value) {
  parts.header["__metadata__"][key] = value.dump();
}

}  // namespace charrnn::test

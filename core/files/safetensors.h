// The .safetensors container: 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw little-endian data. Parsing trusts nothing:
// every length, offset and shape is checked before any byte of data is read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace charrnn {

struct SafeTensorEntry {
  std::string name;
  std::string dtype;  // "F32" or "F16"
  std::vector<int64_t> shape;
  size_t begin = 0, end = 0;  // byte range inside the data section
};

struct SafeTensorsView {
  std::map<std::string, std::string> metadata;
  std::map<std::string, SafeTensorEntry> tensors;
  const uint8_t* data = nullptr;  // the data section (borrowed from the caller's bytes)
  size_t data_size = 0;

  const SafeTensorEntry* find(const std::string& name) const;
  // Reads a tensor as float32 (converting from F16); throws unless its shape is `shape`.
  std::vector<float> read_floats(const std::string& name, const std::vector<int64_t>& shape) const;
};

// Throws charrnn::Error describing the first problem found.
SafeTensorsView parse_safetensors(const uint8_t* bytes, size_t size);

struct TensorToWrite {
  std::string name;
  std::vector<int64_t> shape;
  const float* values;  // shape's product floats
  bool as_f16 = false;
};

// Tensors are stored in the given order; the header's JSON is deterministic (sorted keys),
// so writing the same model twice gives the same bytes.
std::string write_safetensors(const std::map<std::string, std::string>& metadata,
                              const std::vector<TensorToWrite>& tensors);

uint16_t float_to_half(float f);
float half_to_float(uint16_t h);

}  // namespace charrnn

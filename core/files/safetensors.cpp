#include "files/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "json_numbers.h"

namespace charrnn {

using nlohmann::json;

namespace {

constexpr uint64_t kMaxHeaderBytes = 64ull << 20;

Error bad_file(const std::string& why) {
  return Error("This is not a valid model file: " + why + ". Choose a .safetensors file saved by this trainer.");
}

size_t dtype_size(const std::string& dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "F16") return 2;
  return 0;
}

}  // namespace

const SafeTensorEntry* SafeTensorsView::find(const std::string& name) const {
  auto it = tensors.find(name);
  return it == tensors.end() ? nullptr : &it->second;
}

std::vector<float> SafeTensorsView::read_floats(const std::string& name, const std::vector<int64_t>& shape) const {
  const SafeTensorEntry* e = find(name);
  if (!e) throw bad_file("the tensor '" + name + "' is missing");
  if (e->shape != shape) {
    std::string want, got;
    for (int64_t d : shape) want += (want.empty() ? "" : ", ") + std::to_string(d);
    for (int64_t d : e->shape) got += (got.empty() ? "" : ", ") + std::to_string(d);
    throw bad_file("the tensor '" + name + "' has shape [" + got + "] but the configuration says [" + want + "]");
  }
  const size_t n = (e->end - e->begin) / dtype_size(e->dtype);
  std::vector<float> out(n);
  const uint8_t* p = data + e->begin;
  if (e->dtype == "F32") {
    for (size_t i = 0; i < n; i++) {
      uint32_t u = static_cast<uint32_t>(p[4 * i]) | static_cast<uint32_t>(p[4 * i + 1]) << 8 |
                   static_cast<uint32_t>(p[4 * i + 2]) << 16 | static_cast<uint32_t>(p[4 * i + 3]) << 24;
      std::memcpy(&out[i], &u, 4);
    }
  } else {
    for (size_t i = 0; i < n; i++) out[i] = half_to_float(static_cast<uint16_t>(p[2 * i] | p[2 * i + 1] << 8));
  }
  return out;
}

SafeTensorsView parse_safetensors(const uint8_t* bytes, size_t size) {
  if (size == 0) throw bad_file("the file is empty");
  if (size < 8) throw bad_file("the file is only " + std::to_string(size) + " bytes long");
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; i--) header_len = (header_len << 8) | bytes[i];
  if (header_len > size - 8)
    throw bad_file("its header claims " + std::to_string(header_len) + " bytes but the file has only " +
                   std::to_string(size - 8) + " after the length (truncated or not a safetensors file)");
  if (header_len > kMaxHeaderBytes) throw bad_file("its header is larger than 64 MiB");
  const char* header = reinterpret_cast<const char*>(bytes + 8);
  json j = json::parse(header, header + header_len, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw bad_file("its header is not valid JSON");
  if (!j.is_object()) throw bad_file("its header is not a JSON object");

  SafeTensorsView view;
  view.data = bytes + 8 + header_len;
  view.data_size = static_cast<size_t>(size - 8 - header_len);
  std::vector<const SafeTensorEntry*> by_offset;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& name = it.key();
    const json& v = it.value();
    if (name == "__metadata__") {
      if (!v.is_object()) throw bad_file("its __metadata__ is not an object");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) throw bad_file("its __metadata__ entry '" + m.key() + "' is not a string");
        view.metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!v.is_object()) throw bad_file("the entry '" + name + "' is not an object");
    SafeTensorEntry e;
    e.name = name;
    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) throw bad_file("the tensor '" + name + "' has no dtype");
    e.dtype = dt->get<std::string>();
    const size_t esize = dtype_size(e.dtype);
    if (esize == 0) throw bad_file("the tensor '" + name + "' has dtype " + e.dtype + " (only F32 and F16 are read)");
    auto sh = v.find("shape");
    if (sh == v.end() || !sh->is_array()) throw bad_file("the tensor '" + name + "' has no shape");
    uint64_t count = 1;
    for (const json& d : *sh) {
      const auto checked = json_integer(d, 0, int64_t{1} << 32);
      if (!checked)
        throw bad_file("the tensor '" + name + "' has an invalid dimension (" + describe_json_value(d) +
                       ": not a whole number from 0 to 4294967296)");
      const auto dim = static_cast<uint64_t>(*checked);
      if (dim != 0 && count > (1ull << 40) / dim) throw bad_file("the tensor '" + name + "' is impossibly large");
      count *= dim;
      e.shape.push_back(static_cast<int64_t>(dim));
    }
    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_integer() ||
        !(*off)[1].is_number_integer())
      throw bad_file("the tensor '" + name + "' has no valid data_offsets");
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();
    const auto begin = json_integer((*off)[0], kMin, kMax), end = json_integer((*off)[1], kMin, kMax);
    if (!begin || !end)
      throw bad_file("the tensor '" + name + "' has data offsets beyond any file size (" + describe_json_value(*off) +
                     ")");
    const int64_t b = *begin, en = *end;
    if (b < 0 || en < b) throw bad_file("the tensor '" + name + "' has negative or reversed data offsets");
    if (static_cast<uint64_t>(en) > view.data_size)
      throw bad_file("the tensor '" + name + "' ends at byte " + std::to_string(en) + " but the data section has only " +
                     std::to_string(view.data_size) + " (truncated file?)");
    if (static_cast<uint64_t>(en - b) != count * esize)
      throw bad_file("the tensor '" + name + "' has " + std::to_string(en - b) + " bytes but its shape needs " +
                     std::to_string(count * esize));
    e.begin = static_cast<size_t>(b);
    e.end = static_cast<size_t>(en);
    by_offset.push_back(&view.tensors.emplace(name, std::move(e)).first->second);
  }
  std::sort(by_offset.begin(), by_offset.end(),
            [](const SafeTensorEntry* a, const SafeTensorEntry* b) { return a->begin < b->begin || (a->begin == b->begin && a->end < b->end); });
  size_t expected = 0;
  for (const SafeTensorEntry* e : by_offset) {
    if (e->begin < expected) throw bad_file("the tensor '" + e->name + "' overlaps another tensor");
    if (e->begin > expected) throw bad_file("there is a gap in the data before the tensor '" + e->name + "'");
    expected = e->end;
  }
  if (expected != view.data_size) throw bad_file("the data section has " + std::to_string(view.data_size - expected) + " bytes no tensor uses");
  return view;
}

std::string write_safetensors(const std::map<std::string, std::string>& metadata,
                              const std::vector<TensorToWrite>& tensors) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  size_t offset = 0;
  for (const TensorToWrite& t : tensors) {
    size_t count = 1;
    for (int64_t d : t.shape) count *= static_cast<size_t>(d);
    const size_t bytes = count * (t.as_f16 ? 2 : 4);
    header[t.name] = {{"dtype", t.as_f16 ? "F16" : "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string head = header.dump();
  head.append((8 - head.size() % 8) % 8, ' ');  // align the data section to 8 bytes
  std::string out;
  out.reserve(8 + head.size() + offset);
  uint64_t n = head.size();
  for (int i = 0; i < 8; i++) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out += head;
  for (const TensorToWrite& t : tensors) {
    size_t count = 1;
    for (int64_t d : t.shape) count *= static_cast<size_t>(d);
    for (size_t i = 0; i < count; i++) {
      if (t.as_f16) {
        const uint16_t h = float_to_half(t.values[i]);
        out.push_back(static_cast<char>(h & 0xFF));
        out.push_back(static_cast<char>(h >> 8));
      } else {
        uint32_t u;
        std::memcpy(&u, &t.values[i], 4);
        for (int k = 0; k < 4; k++) out.push_back(static_cast<char>((u >> (8 * k)) & 0xFF));
      }
    }
  }
  return out;
}

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t abs = x & 0x7FFFFFFFu;
  if (abs >= 0x7F800000u) return static_cast<uint16_t>(sign | 0x7C00u | (abs > 0x7F800000u ? 0x200u : 0u));
  if (abs >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // rounds to infinity
  if (abs < 0x38800000u) {  // subnormal half (or zero)
    if (abs < 0x33000000u) return static_cast<uint16_t>(sign);
    const uint32_t mant = (abs & 0x007FFFFFu) | 0x00800000u;
    const int shift = 126 - static_cast<int>(abs >> 23);  // 14..24
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u))) h++;
    return static_cast<uint16_t>(sign | h);
  }
  uint32_t h = ((abs - 0x38000000u) >> 13);
  const uint32_t rem = abs & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
  return static_cast<uint16_t>(sign | h);
}

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu, x;
  if (exp == 0x1F) x = sign | 0x7F800000u | (mant << 13);
  else if (exp != 0) x = sign | ((exp + 112) << 23) | (mant << 13);
  else if (mant == 0) x = sign;
  else {
    exp = 113;
    while ((mant & 0x400u) == 0) { mant <<= 1; exp--; }
    x = sign | (exp << 23) | ((mant & 0x3FFu) << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

}  // namespace charrnn

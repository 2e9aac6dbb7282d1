// Reading numbers out of untrusted JSON (model-file headers and metadata) without undefined
// behaviour. nlohmann-json's get<int>() of a double, or of an integer outside int's range, casts
// blindly: 1.2e20 into an unsigned is undefined, 4294967361 into a uint32_t quietly becomes 65.
// These helpers say whether a value is a JSON integer (written without a fraction or exponent)
// in [lo, hi], or a finite JSON number in [lo, hi], before anything is converted.
#pragma once
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace charrnn {

// The value when `j` is a JSON integer in [lo, hi]; nothing for anything else (a fraction such as
// 2.0 or 1e3, a boolean, a string, null, an integer out of range).
inline std::optional<int64_t> json_integer(const nlohmann::json& j, int64_t lo, int64_t hi) {
  if (j.is_number_unsigned()) {  // non-negative literals: up to 2^64 - 1
    const uint64_t u = j.get<uint64_t>();
    if (hi < 0 || u > static_cast<uint64_t>(hi)) return std::nullopt;
    const auto v = static_cast<int64_t>(u);
    if (v < lo) return std::nullopt;
    return v;
  }
  if (j.is_number_integer()) {  // negative literals: down to -2^63
    const int64_t v = j.get<int64_t>();
    if (v < lo || v > hi) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

// The value when `j` is a finite JSON number (integer or not) in [lo, hi]; nothing otherwise.
inline std::optional<double> json_number(const nlohmann::json& j, double lo, double hi) {
  if (!j.is_number()) return std::nullopt;
  const double v = j.get<double>();
  if (!std::isfinite(v) || v < lo || v > hi) return std::nullopt;
  return v;
}

// How a rejected value reads in an error message: short, and never the whole of a huge value.
inline std::string describe_json_value(const nlohmann::json& j) {
  std::string s = j.dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

}  // namespace charrnn

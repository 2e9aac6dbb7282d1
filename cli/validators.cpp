#include "validators.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "model/config.h"
#include "errors.h"

namespace charrnn_cli {

namespace {

std::string format_number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Parses the whole string as a decimal number; false on anything else (empty, trailing text, nan).
bool parse_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
}

}  // namespace

CLI::Validator hidden_sizes_list() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        try {
          charrnn::parse_hidden_sizes(text);
        } catch (const charrnn::Error& e) {
          return e.what();
        }
        return "";
      },
      "");
}

CLI::Validator whole_number_at_least(long long min) {
  const std::string expected = "a whole number of at least " + std::to_string(min);
  return CLI::Validator(
      [min, expected](std::string& text) -> std::string {
        errno = 0;
        char* end = nullptr;
        const long long v = text.empty() ? 0 : std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || end != text.c_str() + text.size())
          return "expects " + expected + ", got '" + text + "'";
        if (errno == ERANGE) return "the value '" + text + "' is too large";
        if (v < min) return "expects " + expected + ", got " + text;
        return {};
      },
      "");
}

CLI::Validator number_at_least(double min) {
  const std::string expected = "a number of at least " + format_number(min);
  return CLI::Validator(
      [min, expected](std::string& text) -> std::string {
        double v;
        if (!parse_number(text, v)) return "expects " + expected + ", got '" + text + "'";
        if (v < min) return "expects " + expected + ", got " + text;
        return {};
      },
      "");
}

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v;
        if (!parse_number(text, v)) return "expects a positive number, got '" + text + "'";
        if (v <= 0) return "expects a positive number, got " + text;
        return {};
      },
      "");
}

CLI::Validator minutes_or_inf() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text == "inf" || text == "infinity") return {};  // CLI11 reads both as infinity
        double v;
        if (!parse_number(text, v)) return "expects a positive number, or inf (until stopped), got '" + text + "'";
        if (v <= 0) return "expects a positive number, or inf (until stopped), got " + text;
        return {};
      },
      "");
}

}  // namespace charrnn_cli

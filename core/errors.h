// One exception type for every user-facing failure: bad text, bad settings, bad model files.
// The message is written for the person using the tool: what went wrong and what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace charrnn {

struct Error : std::runtime_error {
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace charrnn

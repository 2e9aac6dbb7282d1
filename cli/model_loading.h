// Reads and validates a .safetensors model or checkpoint; errors name the file.
#pragma once
#include <string>

#include "files/model_file.h"

namespace charrnn_cli {

charrnn::LoadedModel load_model_file(const std::string& path, const char* what = "model");

}  // namespace charrnn_cli

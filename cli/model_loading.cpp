#include "model_loading.h"

#include "errors.h"
#include "file_io.h"

namespace charrnn_cli {

charrnn::LoadedModel load_model_file(const std::string& path, const char* what) {
  const std::string bytes = read_file(path, what);
  try {
    return charrnn::load_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const charrnn::Error& e) {
    throw charrnn::Error("'" + path + "': " + e.what());
  }
}

}  // namespace charrnn_cli

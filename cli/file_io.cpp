#include "file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "errors.h"

namespace charrnn_cli {

namespace {

charrnn::Error io_error(const std::string& action, const std::string& path, int err) {
  return charrnn::Error("Cannot " + action + " '" + path + "': " + std::strerror(err) + ".");
}

}  // namespace

std::string read_file(const std::string& path, const char* what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw charrnn::Error("Cannot read the " + std::string(what) + " '" + path + "': it is a directory, not a file.");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw io_error(std::string("read the ") + what, path, errno);
  std::string bytes;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) bytes.append(buffer, n);
  const bool failed = std::ferror(f);
  const int err = errno;
  std::fclose(f);
  if (failed) throw io_error(std::string("read the ") + what, path, err);
  return bytes;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".partial";
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (!f) throw io_error("write", path, errno);
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    throw io_error("write", path, written ? errno : write_errno);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(temporary.c_str());
    throw io_error("write", path, err);
  }
}

void ensure_directory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec || !std::filesystem::is_directory(path))
    throw charrnn::Error("Cannot create the checkpoint directory '" + path + "': " +
                         (ec ? ec.message() : std::string("a file of that name is in the way")) + ".");
}

}  // namespace charrnn_cli

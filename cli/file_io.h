// Whole-file reads and writes with messages that name the file and the reason.
#pragma once
#include <string>

namespace charrnn_cli {

// The file's bytes; throws charrnn::Error naming the file when it is missing, unreadable or a directory.
std::string read_file(const std::string& path, const char* what);

// Writes through a temporary file and a rename, so an interrupted write never leaves half a model
// under the final name. Throws charrnn::Error naming the file on failure.
void write_file_atomically(const std::string& path, const std::string& bytes);

// Creates a directory and its parents if missing; throws when that is impossible.
void ensure_directory(const std::string& path);

}  // namespace charrnn_cli

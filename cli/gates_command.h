// `charrnn gates`: how often each gate of each unit is saturated over a text (core/inspection/gates.h).
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace charrnn_cli {

struct GatesOptions {
  std::string model, text;
  bool json = false;
};

CLI::App* add_gates_command(CLI::App& app, GatesOptions& options);
int run_gates(const GatesOptions& options);

}  // namespace charrnn_cli

// `charrnn reach`: how far back the gradient of a prediction reaches (core/inspection/reach.h).
#pragma once
#include <CLI/CLI.hpp>
#include <string>

#include "inspection/reach.h"

namespace charrnn_cli {

struct ReachCommandOptions {
  std::string model, text;
  charrnn::ReachOptions reach;
  int at = -1;  // a position to show the strip of (counted from 0); -1: none
  bool json = false;
};

CLI::App* add_reach_command(CLI::App& app, ReachCommandOptions& options);
int run_reach(const ReachCommandOptions& options);

}  // namespace charrnn_cli

// charrnn: the command-line trainer. Parses the command line and dispatches to a subcommand;
// all training, sampling and file logic lives in the core (core/).
//
// Exit status: 0 success, 1 a bad input or failure (message on stderr), 2 a bad command line,
// 130 interrupted by Ctrl-C (after saving a checkpoint).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <new>
#include <string>

#include "errors.h"
#include "gates_command.h"
#include "info_command.h"
#include "inspect_command.h"
#include "model/settings.h"
#include "ngram_command.h"
#include "options.h"
#include "reach_command.h"
#include "recipe_command.h"
#include "sample_command.h"
#include "train_command.h"

using namespace charrnn_cli;

namespace {

// CLI11's messages, prefixed with the program name and pointing at the right --help.
std::string failure_message(const CLI::App* app, const CLI::Error& e) {
  std::string command = "charrnn";
  for (const CLI::App* sub : app->get_subcommands()) command += " " + sub->get_name();
  return "charrnn: " + std::string(e.what()) + "\nRun '" + command + " --help' for the options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"charrnn: train character-level RNN, LSTM and GRU language models, and sample from them.\n"
               "Models are .safetensors files that the in-browser trainer also reads and writes.",
               "charrnn"};
  app.option_defaults()->always_capture_default();
  app.require_subcommand(1, 1);
  app.failure_message(failure_message);
  app.footer("Run 'charrnn COMMAND --help' for the options of a command.");

  TrainOptions train;
  RecipeOptions recipe;
  SampleCommandOptions sample;
  InfoOptions info;
  InspectOptions inspect;
  NeuronsOptions neurons;
  NgramOptions ngram;
  VsNgramOptions vs_ngram;
  GatesOptions gates;
  ReachCommandOptions reach;
  CLI::App* train_cmd = add_train_command(app, train);
  CLI::App* recipe_cmd = add_recipe_command(app, recipe);
  CLI::App* sample_cmd = add_sample_command(app, sample);
  CLI::App* info_cmd = add_info_command(app, info);
  CLI::App* inspect_cmd = add_inspect_command(app, inspect);
  CLI::App* neurons_cmd = add_neurons_command(app, neurons);
  add_vs_ngram_options(inspect_cmd, vs_ngram);
  CLI::App* ngram_cmd = add_ngram_command(app, ngram);
  CLI::App* gates_cmd = add_gates_command(app, gates);
  CLI::App* reach_cmd = add_reach_command(app, reach);
  CLI::App* schema_cmd = add_schema_command(app);

  // CLI11 would report a mistyped command as "A subcommand is required"; say what is wrong instead.
  const std::string first = argc > 1 ? argv[1] : "";
  bool known = false;
  for (const CLI::App* cmd : {train_cmd, recipe_cmd, sample_cmd, info_cmd, inspect_cmd, neurons_cmd, ngram_cmd, gates_cmd, reach_cmd, schema_cmd})
    known |= cmd->get_name() == first;
  if (!first.empty() && first[0] != '-' && !known) {
    std::fprintf(stderr, "charrnn: unknown command '%s': use train, recipe, sample, info, inspect, neurons, ngram, gates, reach or schema.\n"
                 "Run 'charrnn --help' for more.\n",
                 argv[1]);
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);  // prints the help, or the message
    return status == 0 ? 0 : 2;
  }

  try {
    if (train_cmd->parsed()) return run_train(train);
    if (recipe_cmd->parsed()) return run_recipe(recipe);
    if (sample_cmd->parsed()) return run_sample(sample);
    if (info_cmd->parsed()) return run_info(info);
    if (inspect_cmd->parsed()) return run_inspect(inspect, vs_ngram);
    if (neurons_cmd->parsed()) return run_neurons(neurons);
    if (ngram_cmd->parsed()) return run_ngram(ngram);
    if (gates_cmd->parsed()) return run_gates(gates);
    if (reach_cmd->parsed()) return run_reach(reach);
    if (schema_cmd->parsed()) return std::puts(charrnn::settings_schema_json().c_str()) < 0 ? 1 : 0;
  } catch (const charrnn::Error& e) {
    std::fprintf(stderr, "charrnn: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "charrnn: out of memory. Use a smaller model, batch or text.\n");
    return 1;
  }
  return 2;
}

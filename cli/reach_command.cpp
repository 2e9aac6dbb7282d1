#include "reach_command.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "errors.h"
#include "file_io.h"
#include "model_loading.h"
#include "validators.h"

namespace charrnn_cli {

CLI::App* add_reach_command(CLI::App& app, ReachCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "reach", "How far back the model remembers: the size of the gradient of ln p(next character) with respect to "
               "each earlier character's embedding, by distance.");
  cmd->footer(
      "Averaged over --samples positions of the text spread evenly (each with --max-distance characters before\n"
      "it when the text is long enough); one backward pass of the model per position, dropout off. The text is\n"
      "read from a line break, as `charrnn inspect` reads it; every character must be in the model's vocabulary.\n\n"
      "Example:\n  charrnn reach --model model.safetensors --text excerpt.txt --json --at 120");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  cmd->add_option("--text", o.text, "The text to measure on (UTF-8)")->required()->type_name("FILE");
  cmd->add_option("--max-distance", o.reach.max_distance, "Distances measured: 1 to D characters back")
      ->type_name("D")->check(whole_number_at_least(1));
  cmd->add_option("--samples", o.reach.samples, "Positions averaged (0: every position)")
      ->check(whole_number_at_least(0));
  cmd->add_option("--at", o.at, "Also show the strip of this one position (counted from 0)")
      ->type_name("POS")->check(whole_number_at_least(1))->default_str("none");
  cmd->add_flag("--json", o.json, "One JSON object: {\"by_distance\": [...]} (and \"at\" with --at)");
  return cmd;
}

int run_reach(const ReachCommandOptions& o) {
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  const std::string text = read_file(o.text, "text to measure");
  const charrnn::Reach reach = charrnn::reach_over_text(loaded.model, text, o.reach);
  std::vector<float> strip;
  if (o.at >= 0) strip = charrnn::reach_at(loaded.model, text, o.at, o.reach.max_distance);
  std::string out;
  if (o.json) {
    nlohmann::ordered_json j{{"by_distance", reach.by_distance}, {"positions", reach.positions.size()}};
    if (o.at >= 0) j["at"] = {{"position", o.at}, {"by_distance", strip}};
    out = j.dump() + "\n";
  } else {
    char line[128];
    std::snprintf(line, sizeof line, "Mean gradient size over %zu positions, by distance:\n", reach.positions.size());
    out = line;
    for (size_t k = 0; k < reach.by_distance.size(); k++) {
      std::snprintf(line, sizeof line, "%5zu  %.3e", k + 1, reach.by_distance[k]);
      out += line;
      if (k < strip.size()) {
        std::snprintf(line, sizeof line, "   at %d: %.3e", o.at, strip[k]);
        out += line;
      }
      out += "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write to standard output.");
  return 0;
}

}  // namespace charrnn_cli

#include "gates_command.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "file_io.h"
#include "inspection/gates.h"
#include "model_loading.h"

namespace charrnn_cli {

CLI::App* add_gates_command(CLI::App& app, GatesOptions& o) {
  CLI::App* cmd = app.add_subcommand("gates", "How often each LSTM or GRU gate is nearly shut (< 0.1) or nearly open "
                                               "(> 0.9) over a text, per layer and unit.");
  cmd->footer(
      "The gate values are those of the forward pass `charrnn inspect` runs (from a line break). LSTM gates:\n"
      "input, forget, output; GRU gates: reset, update. At most 20,000 characters.\n\n"
      "Example:\n  charrnn gates --model model.safetensors --text excerpt.txt --json");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors), LSTM or GRU")->required()->type_name("FILE");
  cmd->add_option("--text", o.text, "The text to run through the model (UTF-8)")->required()->type_name("FILE");
  cmd->add_flag("--json", o.json,
                "One JSON object: per layer, per gate, the fractions of characters left- and right-saturated per unit");
  return cmd;
}

int run_gates(const GatesOptions& o) {
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  const charrnn::GateSaturation s = charrnn::gate_saturation(loaded.model, read_file(o.text, "text to inspect"));
  const size_t S = static_cast<size_t>(s.gates), H = static_cast<size_t>(s.hidden);
  std::string out;
  if (o.json) {
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (size_t l = 0; l < static_cast<size_t>(s.layers); l++) {
      nlohmann::ordered_json gates;
      const size_t H_l = static_cast<size_t>(s.layer_hidden[l]);
      for (size_t g = 0; g < S; g++) {
        const size_t at = (l * S + g) * H;
        gates[s.gate_names[g]] = {{"left", std::vector<float>(s.left.begin() + at, s.left.begin() + at + H_l)},
                                  {"right", std::vector<float>(s.right.begin() + at, s.right.begin() + at + H_l)}};
      }
      layers.push_back({{"layer", l + 1}, {"gates", gates}});
    }
    out = nlohmann::ordered_json{{"chars", s.chars}, {"layers", layers}}.dump() + "\n";
  } else {
    char line[160];
    std::snprintf(line, sizeof line, "Mean fraction of the %lld characters at which a gate is saturated:\n",
                  static_cast<long long>(s.chars));
    out = line;
    out += "layer  gate      left (< 0.1)  right (> 0.9)\n";
    for (size_t l = 0; l < static_cast<size_t>(s.layers); l++)
      for (size_t g = 0; g < S; g++) {
        const size_t at = (l * S + g) * H, H_l = static_cast<size_t>(s.layer_hidden[l]);
        double left = 0.0, right = 0.0;
        for (size_t j = 0; j < H_l; j++) left += s.left[at + j], right += s.right[at + j];
        std::snprintf(line, sizeof line, "%-6zu %-9s %12.3f  %13.3f\n", l + 1, s.gate_names[g].c_str(), left / H_l,
                      right / H_l);
        out += line;
      }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write to standard output.");
  return 0;
}

}  // namespace charrnn_cli

#include "recipe_command.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "errors.h"
#include "file_io.h"
#include "model/settings.h"
#include "recipe_settings.h"

namespace charrnn_cli {

namespace {

// The recipe's settings as `charrnn train` flags, one line per group of its --help, wrapped. Under
// a budget the fixed decay does not apply, and giving its flags would keep it (run_limits.h): left out.
std::string flag_lines(const charrnn::Recipe& r, bool budget) {
  struct Group {
    const char* name;
    std::string text;
  };
  Group groups[] = {{"Model:", ""}, {"Data:", ""}, {"Training:", ""}};
  for (const charrnn::Setting& s : charrnn::settings()) {
    const std::string group = charrnn::setting_group(s);
    if (!s.cli || group == "sample") continue;
    if (budget && (s.field == charrnn::SettingField(&charrnn::TrainConfig::lr_decay) ||
                   s.field == charrnn::SettingField(&charrnn::TrainConfig::lr_decay_every)))
      continue;
    const std::string value = setting_value(s, r.model, r.train);
    std::string flag = s.cli;
    if (std::string(charrnn::setting_type(s)) == "bool") {
      if (value != "true") continue;  // a switch shows only when on
    } else {
      flag += " " + value;
    }
    const bool data = s.field == charrnn::SettingField(&charrnn::TrainConfig::val_fraction) ||
                      s.field == charrnn::SettingField(&charrnn::TrainConfig::lines);
    Group& g = groups[group == "model" ? 0 : data ? 1 : 2];
    const size_t line_start = g.text.rfind('\n') == std::string::npos ? 0 : g.text.rfind('\n') + 1;
    if (!g.text.empty() && g.text.size() - line_start + flag.size() > 88) g.text += "\n            ";
    else if (!g.text.empty()) g.text += " ";
    g.text += flag;
  }
  std::string out;
  for (const Group& g : groups) {
    char head[16];
    std::snprintf(head, sizeof head, "  %-10s", g.name);
    out += head + g.text + "\n";
  }
  return out;
}

// The recipe's settings as JSON, named as model files name them, with the values a command line
// would give (0.05, not 0.0500000007).
nlohmann::ordered_json settings_json(const charrnn::Recipe& r, const char* group) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const charrnn::Setting& s : charrnn::settings()) {
    if (!s.cli || group != std::string(charrnn::setting_group(s))) continue;
    const std::string value = setting_value(s, r.model, r.train), type = charrnn::setting_type(s);
    const char* name = s.json ? s.json : s.key;
    if (type == "choice") out[name] = value;
    else if (type == "bool") out[name] = value == "true";
    else if (s.key == std::string("hidden_size") && value.find(',') != std::string::npos) out[name] = value;
    else out[name] = nlohmann::ordered_json::parse(value);
  }
  return out;
}

const char* schedule_name(double budget) {
  if (budget == 0) return "fixed decay";
  return std::isinf(budget) ? "until stopped" : "budget";
}

}  // namespace

int run_recipe(const RecipeOptions& o) {
  if (o.data.empty() && o.chars < 0)
    throw charrnn::Error("Give the text's size with --chars N, or the text itself with --data FILE.");
  const int64_t chars = o.data.empty() ? o.chars : count_chars(read_file(o.data, "text"));
  const double budget = budget_seconds(o.max_minutes);
  const charrnn::Recipe r = charrnn::recipe_for(chars, o.lines, budget);
  std::string out;
  if (o.json) {
    nlohmann::ordered_json j = {{"chars", chars},
                                {"lines", o.lines},
                                {"max_minutes", std::isfinite(o.max_minutes) && o.max_minutes > 0
                                                    ? nlohmann::ordered_json(o.max_minutes)
                                                    : nlohmann::ordered_json(nullptr)},
                                {"schedule", schedule_name(budget)},
                                {"reason", r.reason},
                                {"model", settings_json(r, "model")},
                                {"train", settings_json(r, "train")}};
    out = j.dump() + "\n";
  } else {
    out = r.reason + "\n" + schedule_words(budget, r.train) + "\n" + flag_lines(r, budget != 0);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write to standard output.");
  return 0;
}

}  // namespace charrnn_cli

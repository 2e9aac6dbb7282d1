#include "recipe_settings.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <variant>

#include "training/schedule.h"

namespace charrnn_cli {

namespace {

using charrnn::ModelConfig;
using charrnn::Recipe;
using charrnn::Setting;
using charrnn::TrainConfig;

std::string join_sizes(const std::vector<int>& sizes) {
  std::string out;
  for (int h : sizes) out += (out.empty() ? "" : ",") + std::to_string(h);
  return out;
}

// A recipe for each of its branches (small, medium and large texts; no budget, a short one, a
// long one, until stopped; lines or not), to tell the settings it varies from those it does not.
const std::vector<Recipe>& recipe_cases() {
  static const std::vector<Recipe> cases = [] {
    std::vector<Recipe> v;
    for (int64_t chars : {charrnn::kSmallTextChars / 10, charrnn::kSmallTextChars, charrnn::kLargeTextChars})
      for (double budget : {0.0, 180.0, 3 * charrnn::kLongBudgetSeconds, charrnn::LearningRateSchedule::kUntilStopped})
        for (bool lines : {false, true}) v.push_back(charrnn::recipe_for(chars, lines, budget));
    return v;
  }();
  return cases;
}

// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); i++)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

}  // namespace

int64_t count_chars(const std::string& utf8) {
  int64_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;  // every byte but a continuation byte starts one
  return n;
}

double budget_seconds(double max_minutes) {
  if (std::isinf(max_minutes)) return charrnn::LearningRateSchedule::kUntilStopped;
  return max_minutes > 0 ? max_minutes * 60 : charrnn::LearningRateSchedule::kNoBudget;
}

RunSettings settings_for_new_run(const TrainOptions& o, int64_t text_chars) {
  RunSettings r;
  r.recipe = charrnn::recipe_for(text_chars, o.train.lines, budget_seconds(o.max_minutes));
  r.model = r.recipe.model;
  r.train = r.recipe.train;
  const auto given = [&](const char* key) { return o.given.count(key) > 0; };
  for (const Setting& s : charrnn::settings()) {
    if (!s.cli || !given(s.key)) continue;
    const bool recipe_input = s.field == charrnn::SettingField(&TrainConfig::lines);  // the recipe went by it
    if (!recipe_input) r.given_flags.push_back(s.cli);
    std::visit(
        [&](auto member) {
          using Config = typename charrnn::member_traits<decltype(member)>::config;
          using Value = typename charrnn::member_traits<decltype(member)>::value;
          if constexpr (std::is_same_v<Value, charrnn::CellType>) {
            r.model.cell = charrnn::parse_cell(o.cell);
          } else if constexpr (std::is_same_v<Value, charrnn::OptimizerType>) {
            r.train.optimizer = charrnn::parse_optimizer(o.optimizer);
          } else if constexpr (std::is_same_v<Config, ModelConfig> && !std::is_same_v<Value, std::vector<int>>) {
            if constexpr (std::is_same_v<Value, int>)
              if (member == &ModelConfig::hidden_size) return;  // below: one size or one per layer
            r.model.*member = o.model.*member;
          } else if constexpr (std::is_same_v<Config, TrainConfig>) {
            r.train.*member = o.train.*member;
          }
        },
        s.field);
  }
  if (given("hidden_size")) {
    const std::vector<int> sizes = charrnn::parse_hidden_sizes(o.hidden);
    // One size per layer says how many layers there are, unless --layers says otherwise.
    if (sizes.size() > 1 && !given("layers")) r.model.layers = static_cast<int>(sizes.size());
    charrnn::set_hidden_sizes(r.model, sizes);
  }
  return r;
}

std::string describe_recipe(const RunSettings& s) {
  std::string text = "Recipe: " + s.recipe.reason;
  if (!s.given_flags.empty())
    text += " Your " + and_list(s.given_flags) + (s.given_flags.size() == 1 ? " replaces" : " replace") +
            " the recipe's.";
  return text;
}

std::string schedule_words(double budget, const TrainConfig& train) {
  using Schedule = charrnn::LearningRateSchedule;
  char buf[320];
  const double lr = train.learning_rate;
  if (budget == Schedule::kNoBudget) {
    if (train.lr_decay_every > 0 && train.lr_decay < 1.0f)
      std::snprintf(buf, sizeof buf, "The learning rate starts at %g and falls × %g every %d steps.", lr,
                    charrnn::shortest_float(train.lr_decay), train.lr_decay_every);
    else
      std::snprintf(buf, sizeof buf, "The learning rate stays at %g.", lr);
    return buf;
  }
  if (std::isinf(budget)) {
    std::snprintf(buf, sizeof buf,
                  "Until stopped: the learning rate starts at %g and halves whenever the validation loss has not "
                  "improved for %gs, never below %g.",
                  lr, Schedule::kPatienceSeconds, lr * Schedule::kPlateauFloor);
  } else {
    std::snprintf(buf, sizeof buf,
                  "The learning rate follows the %g-minute budget: it starts at %g and falls along half a cosine to "
                  "%g as the budget ends.",
                  budget / 60, lr, lr * Schedule::kBudgetFloor);
  }
  return buf;
}

std::string setting_value(const Setting& s, const ModelConfig& model, const TrainConfig& train) {
  return std::visit(
      [&](auto member) -> std::string {
        using Config = typename charrnn::member_traits<decltype(member)>::config;
        using Value = typename charrnn::member_traits<decltype(member)>::value;
        if constexpr (std::is_same_v<Config, ModelConfig> || std::is_same_v<Config, TrainConfig>) {
          const Config& config = [&]() -> const Config& {
            if constexpr (std::is_same_v<Config, ModelConfig>) return model;
            else return train;
          }();
          const Value& v = config.*member;
          if constexpr (std::is_same_v<Value, charrnn::CellType>) {
            return charrnn::cell_name(v);
          } else if constexpr (std::is_same_v<Value, charrnn::OptimizerType>) {
            return charrnn::optimizer_name(v);
          } else if constexpr (std::is_same_v<Value, std::vector<int>>) {
            return join_sizes(v);
          } else if constexpr (std::is_same_v<Value, bool>) {
            return v ? "true" : "false";
          } else if constexpr (std::is_same_v<Value, float>) {
            std::string text = nlohmann::json(charrnn::shortest_float(v)).dump();  // 0.05, not 0.0500000007
            if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
            return text;
          } else {
            if constexpr (std::is_same_v<Config, ModelConfig> && std::is_same_v<Value, int>)
              if (member == &ModelConfig::hidden_size && model.per_layer_hidden()) return join_sizes(model.hidden_sizes);
            return std::to_string(v);
          }
        } else {
          return "";  // a sampling setting: no recipe
        }
      },
      s.field);
}

std::string recipe_default_label(const Setting& s) {
  if (std::string(charrnn::setting_type(s)) == "bool" || std::string(charrnn::setting_group(s)) == "sample") return "";
  const Recipe large = charrnn::recipe_for(charrnn::kLargeTextChars, false, charrnn::LearningRateSchedule::kNoBudget);
  const std::string shown = setting_value(s, large.model, large.train);
  for (const Recipe& r : recipe_cases())
    if (setting_value(s, r.model, r.train) != shown) return shown + kVariesMark;
  return shown;
}

}  // namespace charrnn_cli

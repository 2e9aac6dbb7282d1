// Every setting of a model, of its training and of its samples, declared once (settings.cpp's
// table): its field, its names in model files, the JS API and the command line, the label its
// messages use, its range, whether it changes the model's shape, and a line of help. validate(),
// the model file's JSON, the Embind value objects, the CLI's flags and the schema the engine
// exports (settings_schema_json: `charrnn schema`, `charrnn.schema` in JS, python/settings.json)
// are all made from it. Defaults are the structs' own member initialisers (config.h, sampler.h),
// read through the field: the one place a default is written.
#pragma once
#include <limits>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "generation/sampler.h"
#include "model/config.h"

namespace charrnn {

// Where a setting lives: a member of ModelConfig, TrainConfig or SampleOptions. The member's
// type gives the setting's type (int and uint64_t: "int", float, bool, an enum: "choice",
// std::vector<int>: "int list"), its class the group (model, train, sample).
using SettingField =
    std::variant<CellType ModelConfig::*, int ModelConfig::*, float ModelConfig::*, std::vector<int> ModelConfig::*,
                 OptimizerType TrainConfig::*, int TrainConfig::*, float TrainConfig::*, bool TrainConfig::*,
                 uint64_t TrainConfig::*, float SampleOptions::*, bool SampleOptions::*, int SampleOptions::*,
                 uint64_t SampleOptions::*>;

struct Setting {
  const char* key;  // unique: the C++ member's name (sample_seed for SampleOptions::seed)
  SettingField field;
  const char* json;  // its name in a model file's JSON; nullptr: not stored there
  const char* js;  // its name in the JS API's settings objects (camelCase)
  const char* cli;  // its flag on the command line; nullptr: none
  const char* label;  // as messages name it: "The <label> must be between ..."
  double min, max;  // inclusive; ints and floats (an int list: each of its numbers)
  bool architectural;  // changes the model's shape: a change needs a new model
  bool optional_in_files;  // files written before it existed lack it: the default then
  const char* help;  // one line, as `charrnn train --help` shows it
};

// The table, in the order the CLI lists the flags and validate() checks the values.
const std::vector<Setting>& settings();
// The entry of a field (e.g. &TrainConfig::batch_size); throws charrnn::Error if it has none.
const Setting& setting_of(const SettingField& field);

// "model", "train" or "sample"; "int", "float", "bool", "choice" or "int list".
const char* setting_group(const Setting& s);
const char* setting_type(const Setting& s);

// The table as JSON, one object per setting: {key, json, js, cli, label, type, min, max, choices,
// default, architectural, group, help} (absent names and ranges are null). Floats are written as
// the shortest decimal that reads back as the same float (0.002, not 0.0020000000949949026).
std::string settings_schema_json();

// The float a decimal literal of the table stands for, as the shortest decimal double that reads
// back as it: what the schema writes, and what `--help` would show.
double shortest_float(float value);

// Calls f(setting, member) for every setting of Config (ModelConfig, TrainConfig, SampleOptions),
// in table order, with `member` a typed pointer to member (e.g. int TrainConfig::*).
template <typename Member>
struct member_traits;
template <typename Value, typename Class>
struct member_traits<Value Class::*> {
  using value = Value;
  using config = Class;
};

template <typename Config, typename F>
void for_each_setting(F&& f) {
  for (const Setting& s : settings())
    std::visit(
        [&](auto member) {
          if constexpr (std::is_same_v<typename member_traits<decltype(member)>::config, Config>) f(s, member);
        },
        s.field);
}

}  // namespace charrnn

// Checks on option values that CLI11 runs before converting them, so that a nonsense value gets
// a message saying what the option expects instead of a bare conversion failure. The ranges of
// model and training settings are checked by the core (config.h); these only check the kind of number.
// They add nothing to --help (the type name and the option's text say enough).
#pragma once
#include <CLI/CLI.hpp>

namespace charrnn_cli {

// A whole number >= min (e.g. a count, a size, a number of steps).
CLI::Validator whole_number_at_least(long long min);
// Hidden sizes: one whole number or one per layer separated by commas (the core's
// parse_hidden_sizes decides; its message is the option's).
CLI::Validator hidden_sizes_list();
// A finite decimal number >= min.
CLI::Validator number_at_least(double min);
// A finite decimal number > 0.
CLI::Validator positive_number();
// A number of minutes > 0, or inf / infinity (no end: until stopped).
CLI::Validator minutes_or_inf();

}  // namespace charrnn_cli

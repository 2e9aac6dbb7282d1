// "Searching for interpretable cells" (CS231n, lecture 10): simple properties of a text computed
// from the text itself, and every unit of every layer ranked by how well its activation tracks
// each of them (Pearson r over the text's characters).
#pragma once
#include <string>
#include <vector>

#include "inspection/inspect.h"

namespace charrnn {

// One value per character: the property after reading it (as Inspection's activations are).
struct TextProperty {
  std::string name;  // "inside quotes", ...
  std::string description;  // one line for the page and the CLI
  std::vector<float> values;  // [N]
};

// In this order: inside quotes, line position (characters since the last line break), bracket
// depth, inside a comment, indentation (leading spaces and tabs of the current line), inside a
// word, inside an if condition, inside an if statement. Quotes, comments, brackets and ifs are
// read as C reads them (code_syntax.h): a comment marker or bracket in a string, or a quote in a
// comment, changes nothing.
std::vector<TextProperty> text_properties(const std::vector<char32_t>& text);

// The properties' names, in text_properties' order.
std::vector<std::string> text_property_names();

struct NeuronScore {
  int layer = 0, unit = 0;
  bool cell_state = false;  // true: tanh(c) of an LSTM unit; false: its hidden state h
  float r = 0.0f;  // Pearson correlation with the property, -1..1
};

struct PropertyRanking {
  std::string property, description;
  bool varies = false;  // false: the property is constant over the text, so no unit can track it
  std::vector<NeuronScore> best;  // by |r|, largest first; empty when !varies
};

// The `per_property` units (h, and tanh(c) with a cell state) that track each property best.
std::vector<PropertyRanking> rank_neurons(const Inspection& inspection, int per_property = 5);

// Pearson r of x and y over n values; 0 when either is constant.
double pearson(const float* x, size_t x_stride, const float* y, size_t n);

}  // namespace charrnn

// Whole lines from a model (the lines mode's samples): each line starts from the sampler's start
// context (a zero state and a line break, as every example trained in lines mode did) and ends at
// the line break the model chooses, or at a length cap. Each is marked as from the text (it is a
// whole line of the training text) or new, so a reader sees whether the model recites or invents.
#pragma once
#include <string>
#include <vector>

#include "model/model.h"
#include "generation/sampler.h"
#include "text/text_lines.h"

namespace charrnn {

struct SampledLine {
  std::string text;  // UTF-8, without its line break
  bool complete = true;  // false: cut at the length cap before a line break came
  bool from_text = false;  // a whole line of the training text (never for a cut line)
};

// Upper bound on a sampled line's characters when the caller gives none (a model that never
// chooses a line break must still stop).
constexpr int kDefaultMaxLineChars = 200;

// Samples `count` lines (1..10,000) of at most max_chars characters (1..100,000) one after another
// with one sampler (so a seed gives the same lines). `text_lines` may be null: nothing is marked.
// The model needs a line break in its vocabulary.
// A priming text (characters in the vocabulary, no line break) begins every line, as its first
// characters: with argmax, "the line the model completes from these letters".
std::vector<SampledLine> sample_lines(const Model& model, int count, const SampleOptions& options,
                                      const TextLines* text_lines, int max_chars = kDefaultMaxLineChars,
                                      const std::string& prime = "");

// The same, continuing a sampler the caller keeps.
std::vector<SampledLine> sample_lines(const Model& model, Sampler& sampler, int count, const TextLines* text_lines,
                                      int max_chars = kDefaultMaxLineChars, const std::string& prime = "");

}  // namespace charrnn

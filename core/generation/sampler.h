// Generating text from a model, one character at a time: temperature, greedy argmax, top-k,
// a priming text that warms the hidden state first, and a seed for reproducible samples.
// The sampler runs the model's one forward pass (model_forward) one character at a time.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"
#include "numerics/rng.h"

namespace charrnn {

struct SampleOptions {
  float temperature = 1.0f;  // > 0; lower is more conservative
  bool argmax = false;  // greedy: always the most likely character
  int top_k = 0;  // 0: all characters; k: only the k most likely
  uint64_t seed = 1;
};

class Sampler {
 public:
  // The sampler keeps a pointer to the model: the model must outlive it and may keep training
  // (the sampler reads the current weights on every step).
  Sampler(const Model& model, const SampleOptions& options);

  // Starts a fresh sample: a zero state, then a line break (when the vocabulary has one, so the
  // sample begins as a new line would), then the priming text, which must be in the vocabulary.
  // Without either, the first character is drawn at random from the vocabulary.
  // Throws on characters outside the vocabulary.
  void prime(const std::string& utf8_text);
  // The same, but characters outside the vocabulary are left out (the rest still primes); returns
  // the distinct characters left out, in order of appearance (empty when all were known).
  std::u32string prime_known(const std::string& utf8_text);
  void set_options(const SampleOptions& options);

  // The next character's id; it is also fed back in.
  int next_id();
  // The next n characters as UTF-8.
  std::string next(int n);
  // The probabilities of the next character (after temperature), valid after prime()/next().
  const std::vector<float>& probabilities() const { return probs_; }

 private:
  void start(const std::vector<int32_t>& prime_ids);
  // Advances the state by one input character (model_forward with B = T = 1, as training and
  // inspection run it) and computes the next character's distribution.
  void feed(int id);
  int choose();

  const Model* model_;
  SampleOptions options_;
  Rng rng_;
  Activations acts_;  // one stream, one step, inference only
  RecurrentState state_;
  std::vector<float> probs_;
  bool primed_ = false;
  // A lines model's line break, after which a line starts from the zero state; -1 for other models.
  int32_t line_start_ = -1;
};

// Convenience: a whole sample. prime may be empty.
std::string sample_text(const Model& model, const std::string& prime, int length, const SampleOptions& options);

}  // namespace charrnn

#include "generation/line_sampler.h"

#include "errors.h"

namespace charrnn {

std::vector<SampledLine> sample_lines(const Model& model, Sampler& sampler, int count, const TextLines* text_lines,
                                      int max_chars, const std::string& prime) {
  if (count < 1 || count > 10000) throw Error("The number of lines to sample must be between 1 and 10,000.");
  if (max_chars < 1 || max_chars > 100000) throw Error("The line length cap must be between 1 and 100,000 characters.");
  if (!model.vocab.contains(U'\n'))
    throw Error("This model has no line break in its vocabulary, so it cannot end a line: sample a stream of text "
                "instead of lines.");
  const int32_t nl = model.vocab.id(U'\n');
  if (prime.find('\n') != std::string::npos)
    throw Error("The priming text of a line cannot hold a line break: it is the start of one line.");
  model.vocab.encode(prime, "priming text");  // refuses characters outside the vocabulary, before sampling
  std::vector<SampledLine> out(static_cast<size_t>(count));
  std::vector<int32_t> ids;
  for (SampledLine& line : out) {
    sampler.prime(prime);  // zero state, the line break where every line example started, the prime
    ids.clear();
    line.complete = false;
    for (int i = 0; i < max_chars; i++) {
      const int id = sampler.next_id();
      if (id == nl) {
        line.complete = true;
        break;
      }
      ids.push_back(id);
    }
    // Up to the cap and no line break yet: one more draw tells whether the line ends at the cap.
    if (!line.complete && sampler.next_id() == nl) line.complete = true;
    line.text = prime + model.vocab.decode(ids);
    line.from_text = line.complete && text_lines && text_lines->contains(line.text);
  }
  return out;
}

std::vector<SampledLine> sample_lines(const Model& model, int count, const SampleOptions& options,
                                      const TextLines* text_lines, int max_chars, const std::string& prime) {
  Sampler sampler(model, options);
  return sample_lines(model, sampler, count, text_lines, max_chars, prime);
}

}  // namespace charrnn

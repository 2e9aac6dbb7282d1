#include "sample_command.h"

#include <cstdio>

#include "errors.h"
#include "file_io.h"
#include "generation/line_sampler.h"
#include "model_loading.h"
#include "generation/sampler.h"

namespace charrnn_cli {

namespace {

// --lines N: one line each; --mark puts "text", "new" or "cut" and a tab in front, and a count on stderr.
int print_lines(const charrnn::Model& model, const SampleCommandOptions& o) {
  charrnn::TextLines text_lines;
  if (o.mark) text_lines = charrnn::TextLines(read_file(o.data, "training text"));
  const auto lines =
      charrnn::sample_lines(model, o.lines, o.sample, o.mark ? &text_lines : nullptr, o.max_line, o.prime);
  int from_text = 0;
  std::string out;
  for (const charrnn::SampledLine& l : lines) {
    if (o.mark) out += l.from_text ? "text\t" : l.complete ? "new\t" : "cut\t";
    out += l.text + "\n";
    from_text += l.from_text;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write the sample to standard output.");
  if (o.mark)
    std::fprintf(stderr, "%d of %d lines from the text, %d new\n", from_text, o.lines, o.lines - from_text);
  return 0;
}

}  // namespace

int run_sample(const SampleCommandOptions& o) {
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  if (o.lines > 0) return print_lines(loaded.model, o);
  const std::string text = charrnn::sample_text(loaded.model, o.prime, o.length, o.sample);
  // As char-rnn's sample.lua: the prime, the sample, and a line break so the shell prompt starts
  // on a line of its own (the sample is the output less that last byte).
  const std::string out = (o.echo_prime ? o.prime : std::string()) + text + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write the sample to standard output.");
  return 0;
}

}  // namespace charrnn_cli

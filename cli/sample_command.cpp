#include "sample_command.h"

#include <cstdio>

#include "errors.h"
#include "model_loading.h"
#include "sampler.h"

namespace charrnn_cli {

int run_sample(const SampleCommandOptions& o) {
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  const std::string text = charrnn::sample_text(loaded.model, o.prime, o.length, o.sample);
  if (o.echo_prime) std::fwrite(o.prime.data(), 1, o.prime.size(), stdout);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write the sample to standard output.");
  return 0;
}

}  // namespace charrnn_cli

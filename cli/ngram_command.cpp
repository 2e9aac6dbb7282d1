#include "ngram_command.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "file_io.h"
#include "text/training_text.h"
#include "validators.h"

namespace charrnn_cli {

CLI::App* add_ngram_command(CLI::App& app, NgramOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "ngram", "Validation loss of an interpolated Kneser-Ney character n-gram model: the baseline a network beats.");
  cmd->footer(
      "Counted on the training part of the text with the trainer's vocabulary and validation split (the last\n"
      "--val-fraction of the characters); discount 0.75, orders 1..N, the unigram mixed with the uniform\n"
      "distribution. The loss is in nats per character, as `charrnn train` reports it.\n\n"
      "Example:\n  charrnn ngram --data input.txt --order 5");
  cmd->add_option("--data", o.data, "UTF-8 text file, as given to `charrnn train`")->required()->type_name("FILE");
  cmd->add_option("--order", o.order, "N: characters per n-gram (the context is N-1)")->check(whole_number_at_least(1));
  cmd->add_option("--val-fraction", o.val_fraction, "Fraction of the text, from its end, held out for validation")
      ->check(number_at_least(0));
  cmd->add_flag("--json", o.json, "One JSON object: {\"order\": N, \"val_loss\": nats}");
  return cmd;
}

int run_ngram(const NgramOptions& o) {
  const std::vector<char32_t> chars = charrnn::decode_training_text(read_file(o.data, "training text"));
  if (!(o.val_fraction > 0.0f && o.val_fraction <= 0.5f))
    throw charrnn::Error("--val-fraction must be above 0 and at most 0.5: the n-gram's loss is measured on that part.");
  const charrnn::Vocab vocab = charrnn::Vocab::from_chars(chars);
  const charrnn::NgramValidation v = charrnn::ngram_validation(vocab, chars, o.val_fraction, o.order);
  if (v.val_predictions == 0)
    throw charrnn::Error("The validation part has fewer than two characters: use a longer text or a larger --val-fraction.");
  std::string out;
  if (o.json) {
    out = nlohmann::ordered_json{{"order", o.order}, {"val_loss", v.val_loss}}.dump() + "\n";
  } else {
    char line[160];
    std::snprintf(line, sizeof line, "%d-gram validation loss: %.4f nats/char (%lld characters predicted)\n", o.order,
                  v.val_loss, static_cast<long long>(v.val_predictions));
    out = line;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write to standard output.");
  return 0;
}

void add_vs_ngram_options(CLI::App* inspect, VsNgramOptions& o) {
  const std::string group = "Against an n-gram";
  CLI::Option* data =
      inspect->add_option("--data", o.data, "The model's training text, for --vs-ngram")->type_name("FILE")->group(group);
  inspect
      ->add_option("--vs-ngram", o.order,
                   "Add an order-N Kneser-Ney n-gram's p(actual) per character (p_ngram), and where the network's "
                   "advantage over it falls (after line breaks, closing brackets, quotes)")
      ->type_name("N")->check(whole_number_at_least(1))->needs(data)->group(group);
  inspect->add_option("--val-fraction", o.val_fraction, "The n-gram is counted on the text without this end part")
      ->check(number_at_least(0))->group(group);
}

std::vector<float> ngram_p_actual_for(const charrnn::Model& model, const charrnn::Inspection& in,
                                      const VsNgramOptions& o) {
  const std::vector<char32_t> chars = charrnn::decode_training_text(read_file(o.data, "training text"));
  if (!(o.val_fraction >= 0.0f && o.val_fraction <= 0.5f)) throw charrnn::Error("--val-fraction must be between 0 and 0.5.");
  // Counted as `charrnn ngram` counts it, with the model's vocabulary.
  const charrnn::NgramModel ngram = charrnn::ngram_validation(model.vocab, chars, o.val_fraction, o.order).model;
  const int32_t start = model.vocab.contains(U'\n') ? model.vocab.id(U'\n') : -1;  // the inspection's start context
  return charrnn::ngram_p_actual(ngram, in.ids, start);
}

}  // namespace charrnn_cli

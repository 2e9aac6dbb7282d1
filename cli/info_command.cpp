#include "info_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "model_loading.h"
#include "progress_bar.h"
#include "text/utf8.h"
#include "text/vocab.h"

namespace charrnn_cli {

namespace {

// The vocabulary on one line, in id order: printable symbols as themselves, space as ' ', newline
// and tab as \n and \t, other control characters as U+XXXX.
std::string show_vocab(const charrnn::Vocab& vocab) {
  std::string out;
  for (char32_t cp : vocab.symbols()) {
    if (!out.empty()) out += ' ';
    if (cp == U' ') out += "' '";
    else if (cp == U'\n') out += "\\n";
    else if (cp == U'\t') out += "\\t";
    else if (cp < 0x20 || cp == 0x7F) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
      out += buf;
    } else {
      charrnn::append_utf8(out, cp);
    }
  }
  return out;
}

}  // namespace

int run_info(const InfoOptions& o) {
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  const charrnn::Model& m = loaded.model;
  const charrnn::ModelConfig& c = m.config;
  std::printf("file:        %s (%s)\n", o.model.c_str(), loaded.is_checkpoint ? "checkpoint" : "model");
  std::printf("cell:        %s\n", charrnn::cell_name(c.cell));
  std::printf("layers:      %d\n", c.layers);
  std::printf("hidden size: %s\n", charrnn::hidden_sizes_label(c).c_str());  // "256-128" with per-layer sizes
  std::printf("embed size:  %d\n", c.embed_size);
  std::printf("dropout:     %g\n", c.dropout);
  std::printf("vocabulary:  %d symbols: %s\n", c.vocab_size, show_vocab(m.vocab).c_str());
  std::printf("parameters:  %zu\n", m.params.size());
  if (!loaded.is_checkpoint) std::printf("iteration:   %lld\n", static_cast<long long>(loaded.iteration));
  if (std::isfinite(loaded.val_loss)) std::printf("val. loss:   %.4f nats/char\n", loaded.val_loss);
  std::printf("trained on:  %s\n", m.lines ? "lines, each an example from a fresh state (sample it with --lines N)"
                                           : "the text as one continuous stream");
  if (loaded.is_checkpoint) {
    const charrnn::TrainConfig& t = loaded.train_config;
    const charrnn::Trainer::Resumable& r = loaded.resumable;
    std::printf("step:        %lld (epoch %lld, step %lld of the epoch)\n", static_cast<long long>(r.iteration),
                static_cast<long long>(r.epoch), static_cast<long long>(r.step_in_epoch));
    std::printf("training:    %s, learning rate %g (now %g), decay %g every %d steps, batch %d, seq-len %d,\n"
                "             grad-clip %g, grad-clip-value %g, l2 %g, val-fraction %g, seed %llu\n",
                charrnn::optimizer_name(t.optimizer), t.learning_rate, r.learning_rate, t.lr_decay, t.lr_decay_every,
                t.batch_size, t.seq_len, t.grad_clip, t.grad_clip_value, t.l2, t.val_fraction,
                static_cast<unsigned long long>(t.seed));
    const double budget = r.schedule.budget_seconds;
    if (std::isinf(budget))
      std::printf("time:        until stopped, %s trained\n", format_duration(r.clock_seconds).c_str());
    else if (budget > 0)
      std::printf("time:        a %s budget, %s of it used\n", format_duration(budget).c_str(),
                  format_duration(std::min(budget, r.clock_seconds)).c_str());
  }
  return 0;
}

}  // namespace charrnn_cli

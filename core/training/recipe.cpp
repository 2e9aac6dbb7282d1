#include "training/recipe.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace charrnn {

namespace {

std::string kilobytes(int64_t chars) {
  char buf[48];
  if (chars >= 1000000) std::snprintf(buf, sizeof buf, "%.1f M characters", static_cast<double>(chars) / 1e6);
  else std::snprintf(buf, sizeof buf, "%lld k characters", static_cast<long long>((chars + 500) / 1000));
  return buf;
}

// "GRU 2×192, dropout 0.05"
std::string model_words(const ModelConfig& m) {
  std::string cell = cell_name(m.cell);
  for (char& c : cell) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s %d×%d, dropout %g", cell.c_str(), m.layers, m.hidden_size, m.dropout);
  return buf;
}

}  // namespace

Recipe recipe_for(int64_t text_chars, bool lines, double budget_seconds) {
  Recipe r;
  ModelConfig& m = r.model;
  TrainConfig& t = r.train;
  m.cell = CellType::GRU;
  m.layers = 2;
  t.optimizer = OptimizerType::Adam;
  t.learning_rate = 3e-3f;
  // Without a budget the rate falls × 0.9 every 250 steps (the page's 10-minute choice before
  // budgets); with one, the budget's schedule replaces it (schedule.h).
  t.lr_decay = 0.9f;
  t.lr_decay_every = 250;
  const bool long_run = budget_seconds > kLongBudgetSeconds;
  if (lines) {
    m.layers = 1;
    m.hidden_size = 256;
    m.dropout = 0.0f;
    t.lines = true;
    t.val_fraction = 0.0f;
    t.seq_len = 16;
    t.batch_size = 16;
    t.lr_decay = 0.95f;  // memorising runs spike and forget without a decay
    r.reason = "Lines mode memorises the list: every line is training data, " + model_words(m) + ".";
    return r;
  }
  if (text_chars < kSmallTextChars) {
    m.hidden_size = 128;
    m.dropout = 0.3f;
    r.reason = "A small text (" + kilobytes(text_chars) + "): a smaller model with strong dropout (" + model_words(m) +
               ") learns its patterns for longer before it starts reciting it.";
  } else if (text_chars < kLargeTextChars) {
    m.hidden_size = 160;
    m.dropout = 0.2f;
    r.reason = "A medium text (" + kilobytes(text_chars) + "): " + model_words(m) + ", with dropout against reciting it.";
  } else if (long_run) {
    m.hidden_size = 256;
    m.dropout = 0.2f;
    r.reason = "A large text (" + kilobytes(text_chars) + ") and a long run: a larger model, " + model_words(m) +
               ", keeps learning where a smaller one would overfit.";
  } else {
    m.hidden_size = 192;
    m.dropout = 0.05f;
    r.reason = "A large text (" + kilobytes(text_chars) + "): " + model_words(m) +
               ", the best of the settings measured for 3 and 10 minutes.";
  }
  return r;
}

}  // namespace charrnn

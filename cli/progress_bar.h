// Training progress on stderr: a bar redrawn in place when stderr is a terminal, plain lines
// every few seconds when it is a file or a pipe (logs stay readable), nothing when off.
#pragma once
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

namespace charrnn_cli {

struct Progress {
  int64_t step = 0;
  double epoch = 0;  // fractional
  double loss = NAN;  // smoothed training loss
  double val_loss = NAN;  // the latest evaluation, NaN before the first
  double chars_per_second = 0;
  double fraction_done = 0;  // 0..1, of whichever limit ends training first
  double seconds_left = NAN;
  bool endless = false;  // no limit but Ctrl-C (until stopped)
};

class ProgressBar {
 public:
  enum class Mode { Bar, Lines, Off };
  // Bar when stderr is a terminal, Lines otherwise; Off when `enabled` is false.
  explicit ProgressBar(bool enabled);
  ~ProgressBar();

  // Redraws the bar (at most ten times a second) or prints a line (at most every 10 seconds).
  void update(const Progress& progress, bool force = false);
  // A message on a line of its own (e.g. "checkpoint written"), keeping the bar below it.
  void message(const std::string& text);
  // Removes the bar, leaving the terminal line clean.
  void clear();

 private:
  std::string format(const Progress& progress, bool with_bar) const;

  Mode mode_;
  bool drawn_ = false;
  Progress last_;
  std::chrono::steady_clock::time_point last_output_;
};

// "1h02m", "4m05s", "12s".
std::string format_duration(double seconds);

}  // namespace charrnn_cli

#include "progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace charrnn_cli {

namespace {

int terminal_width() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 100;
}

std::string format_rate(double chars_per_second) {
  char buf[32];
  if (chars_per_second >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", chars_per_second / 1e6);
  else if (chars_per_second >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", chars_per_second / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", chars_per_second);
  return buf;
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

ProgressBar::ProgressBar(bool enabled)
    : mode_(!enabled ? Mode::Off : isatty(STDERR_FILENO) ? Mode::Bar : Mode::Lines),
      last_output_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { clear(); }

std::string ProgressBar::format(const Progress& p, bool with_bar) const {
  char fields[256];
  char val[16] = "-     ";
  if (std::isfinite(p.val_loss)) std::snprintf(val, sizeof val, "%.4f", p.val_loss);
  const std::string left = p.endless ? "until Ctrl-C" : format_duration(p.seconds_left) + " left";
  std::snprintf(fields, sizeof fields, "step %lld | epoch %.2f | loss %.4f | val %s | %s chars/s | %s",
                static_cast<long long>(p.step), p.epoch, p.loss, val, format_rate(p.chars_per_second).c_str(),
                left.c_str());
  if (!with_bar) return fields;
  // The bar's width depends only on the terminal's, so it does not jump as the numbers change;
  // the fields take at most about 90 columns.
  const int width = std::min(30, terminal_width() - 90 - 7);
  if (width < 8) return fields;
  const double done = std::clamp(p.fraction_done, 0.0, 1.0);
  const int filled = static_cast<int>(done * width);
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3d%% ", static_cast<int>(done * 100));
  return "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.') +
         "] " + percent + fields;
}

void ProgressBar::update(const Progress& progress, bool force) {
  last_ = progress;
  if (mode_ == Mode::Off) return;
  if (mode_ == Mode::Lines) force = false;  // plain lines keep their pace; messages say the rest
  const auto now = std::chrono::steady_clock::now();
  const auto interval = mode_ == Mode::Bar ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
  // The bar appears at once; plain lines start after the first interval, not at step 1.
  const bool first_bar = mode_ == Mode::Bar && !drawn_;
  if (!force && !first_bar && now - last_output_ < interval) return;
  last_output_ = now;
  if (mode_ == Mode::Bar) {
    std::fprintf(stderr, "\r\033[K%s", format(progress, true).c_str());
    drawn_ = true;
  } else {
    std::fprintf(stderr, "%s\n", format(progress, false).c_str());
  }
  std::fflush(stderr);
}

void ProgressBar::message(const std::string& text) {
  if (mode_ == Mode::Bar && drawn_) {
    std::fprintf(stderr, "\r\033[K%s\n%s", text.c_str(), format(last_, true).c_str());
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
}

void ProgressBar::clear() {
  if (mode_ == Mode::Bar && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace charrnn_cli

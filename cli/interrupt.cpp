#include "interrupt.h"

#include <csignal>

namespace charrnn_cli {

namespace {

volatile std::sig_atomic_t requested_signal = 0;

void on_signal(int signal) { requested_signal = signal; }

}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the handler runs once; a second signal takes the default action (terminate),
  // for when a step or an evaluation takes too long to wait for.
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return requested_signal != 0; }
int interrupt_signal() { return requested_signal; }

}  // namespace charrnn_cli

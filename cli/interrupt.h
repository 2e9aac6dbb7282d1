// Ctrl-C (and SIGTERM) during training: the first one only raises a flag, so the loop can finish
// its step and save a checkpoint; a second Ctrl-C kills the process as usual.
#pragma once

namespace charrnn_cli {

void install_interrupt_handler();
bool interrupt_requested();
// The signal that asked to stop (SIGINT or SIGTERM), 0 if none.
int interrupt_signal();

}  // namespace charrnn_cli

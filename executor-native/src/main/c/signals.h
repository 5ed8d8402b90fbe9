/* Signals as events: blocked, then read from a signalfd. */
#ifndef SANDQ_SIGNALS_H
#define SANDQ_SIGNALS_H

#include <stddef.h>

/* Blocks the n signals (names: for the message) and returns a non-blocking signalfd for them. */
int block_to_signalfd(const int *signals, size_t n, const char *names);
/* The next pending signal's number, or 0 when none is pending. */
int next_signal(int signal_fd);

#endif

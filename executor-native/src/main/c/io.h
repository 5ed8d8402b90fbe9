/* Reading and writing whole buffers on fds, and moving fds: every failure is fatal (die.h). */
#ifndef SANDQ_IO_H
#define SANDQ_IO_H

#include <stdbool.h>
#include <stddef.h>

void write_all(int fd, const void *buf, size_t len, const char *what);
/* Everything up to end of file, in a malloc'ed buffer (not NUL-terminated). */
void read_all_fd(int fd, char **out, size_t *len, const char *what);
/* Reads exactly len bytes; false when the other end closed before the first byte (end of file,
 * or a reset: it closed with what we sent unread). */
bool read_exactly(int fd, void *buf, size_t len, const char *what);
/* fd moved to the lowest free fd >= min (close-on-exec), the original closed. */
int move_fd_above(int fd, int min, const char *what);

#endif

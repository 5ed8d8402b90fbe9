/* Reading and writing whole buffers on fds, and moving fds: every failure is fatal (die.h), but
 * try_read_exactly's. */
#ifndef SANDQ_IO_H
#define SANDQ_IO_H

#include <stdbool.h>
#include <stddef.h>

void write_all(int fd, const void *buf, size_t len, const char *what);
/* Everything up to end of file, in a malloc'ed buffer (not NUL-terminated). */
void read_all_fd(int fd, char **out, size_t *len, const char *what);
/* Reads exactly len bytes: 1; 0 when the other end closed before the first byte (end of file, or
 * a reset: it closed with what we sent unread); -1 with errno otherwise (EPROTO: end of file
 * within). Never fatal: for the worker's own process (zygote_client.c). */
int try_read_exactly(int fd, void *buf, size_t len);
/* As try_read_exactly, but every failure is fatal; false when the other end closed before the
 * first byte. */
bool read_exactly(int fd, void *buf, size_t len, const char *what);
/* fd moved to the lowest free fd >= min (close-on-exec), the original closed. */
int move_fd_above(int fd, int min, const char *what);

#endif

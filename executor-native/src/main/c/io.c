/* Whole buffers on fds, and moving fds (io.h): every failure is fatal, but try_read_exactly's. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "die.h"

void write_all(int fd, const void *buf, size_t len, const char *what) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      die_errno("write %s", what);
    }
    p += n;
    len -= (size_t)n;
  }
}

void read_all_fd(int fd, char **out, size_t *len, const char *what) {
  size_t cap = 4096, used = 0;
  char *buf = malloc(cap);
  if (buf == NULL)
    die("out of memory reading %s", what);
  for (;;) {
    if (used == cap) {
      cap *= 2;
      char *bigger = realloc(buf, cap);
      if (bigger == NULL)
        die("out of memory reading %s", what);
      buf = bigger;
    }
    ssize_t n = read(fd, buf + used, cap - used);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      die_errno("read %s", what);
    }
    if (n == 0)
      break;
    used += (size_t)n;
  }
  *out = buf;
  *len = used;
}

int try_read_exactly(int fd, void *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0 && errno == EINTR)
      continue;
    if ((n == 0 || (n < 0 && errno == ECONNRESET)) && got == 0)
      return 0;
    if (n == 0)
      errno = EPROTO;
    if (n <= 0)
      return -1;
    got += (size_t)n;
  }
  return 1;
}

bool read_exactly(int fd, void *buf, size_t len, const char *what) {
  int result = try_read_exactly(fd, buf, len);
  if (result < 0 && errno == EPROTO)
    die("short read of %s", what);
  if (result < 0)
    die_errno("read %s", what);
  return result == 1;
}

int move_fd_above(int fd, int min, const char *what) {
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, min);
  if (moved < 0)
    die_errno("move %s above fd %d", what, min);
  if (close(fd) < 0)
    die_errno("close %s after moving it", what);
  return moved;
}

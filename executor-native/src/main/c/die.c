/* Fatal errors: every failure names the step that failed, and nothing is ignored. */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int status_fd = -1;  /* set in the launcher process: errors become a status line */
static int error_pipe = -1; /* set in sandbox processes: errors go to the launcher */

void die_set_status_fd(int fd) { status_fd = fd; }

int die_error_pipe(void) { return error_pipe; }

void die_set_error_pipe(int fd) {
  error_pipe = fd;
  status_fd = -1;
}

static __attribute__((noreturn)) void report(const char *message) {
  if (error_pipe >= 0) {
    /* Best effort by necessity: we are about to exit and have no other channel. */
    ssize_t n = write(error_pipe, message, strlen(message));
    (void)n;
    _exit(1);
  }
  if (status_fd >= 0) {
    write_setup_error_status(status_fd, message);
  } else {
    fprintf(stderr, "sandq-launcher: %s\n", message);
  }
  exit(1);
}

static __attribute__((noreturn)) void vdie(int saved_errno, const char *fmt, va_list ap) {
  char message[1024];
  int n = vsnprintf(message, sizeof message, fmt, ap);
  if (saved_errno != 0 && n >= 0 && (size_t)n < sizeof message)
    snprintf(message + n, sizeof message - (size_t)n, ": %s", strerror(saved_errno));
  report(message);
}

void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdie(0, fmt, ap);
}

void die_errno(const char *fmt, ...) {
  int saved_errno = errno;
  va_list ap;
  va_start(ap, fmt);
  vdie(saved_errno, fmt, ap);
}

void die_usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("sandq-launcher: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nusage: sandq-launcher --status-file PATH --seccomp-file PATH --wall-ms N [OPTIONS] -- PROGRAM [ARG...]\n"
        "(see executor-native/LAUNCHER.md)\n",
        stderr);
  va_end(ap);
  exit(2);
}

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

bool read_exactly(int fd, void *buf, size_t len, const char *what) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == ECONNRESET && got == 0)
        return false;
      die_errno("read %s", what);
    }
    if (n == 0) {
      if (got == 0)
        return false;
      die("short read of %s", what);
    }
    got += (size_t)n;
  }
  return true;
}

int move_fd_above(int fd, int min, const char *what) {
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, min);
  if (moved < 0)
    die_errno("move %s above fd %d", what, min);
  if (close(fd) < 0)
    die_errno("close %s after moving it", what);
  return moved;
}

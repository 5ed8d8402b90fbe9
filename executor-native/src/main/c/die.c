/* Fatal errors: every failure names the step that failed, and nothing is ignored. */
#include "die.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "status.h"

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

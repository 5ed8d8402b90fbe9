/* Signals as events: blocked, then read from a signalfd (the launcher's supervision, the stub's
 * forwarding). */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "die.h"

int block_to_signalfd(const int *signals, size_t n, const char *names) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < n; i++)
    sigaddset(&set, signals[i]);
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
    die_errno("sigprocmask to block %s", names);
  int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0)
    die_errno("signalfd");
  return fd;
}

int next_signal(int signal_fd) {
  for (;;) {
    struct signalfd_siginfo info;
    ssize_t n = read(signal_fd, &info, sizeof info);
    if (n < 0) {
      if (errno == EAGAIN)
        return 0;
      if (errno == EINTR)
        continue;
      die_errno("read signalfd");
    }
    if (n != sizeof info)
      die("short read from signalfd: %zd bytes", n);
    return (int)info.ssi_signo;
  }
}

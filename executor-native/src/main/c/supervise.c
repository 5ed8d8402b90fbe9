/* Supervision, in the launcher outside the sandbox: the wall-clock and job-wide CPU limits,
 * termination requests and reaping; what it finds becomes the status line (status.c). */
#include "supervise.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "die.h"
#include "options.h"
#include "signals.h"
#include "status.h"

#define CPU_POLL_MS 10

/* CLOCK_MONOTONIC, the clock of Java's System.nanoTime() on Linux. */
static uint64_t monotonic_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
    die_errno("clock_gettime CLOCK_MONOTONIC");
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t monotonic_ms(void) {
  return monotonic_ns() / 1000000u;
}

/* The status line's instants (status.h), each taken when an fd changes state, watched until it
 * does; nothing is read from them here:
 *   ready    the sync pipe's write end errs (no reader left) once init has closed its read end,
 *            which it does with its root built and in the job's cgroup, just before it forks the job;
 *   started  without --prestart, the setup error pipe ends without a message once its last writer
 *            is gone: the job's, closed by its execve (with a message, the sandbox failed instead);
 *            with --prestart, the start byte is the start (await_start);
 *   exited   the report pipe becomes readable once init has reported the job's end, or ends if
 *            init died without a report. */
enum instant { READY, STARTED, EXITED, INSTANTS };

struct instants {
  int fds[INSTANTS]; /* -1: not watched, or seen */
};

/* Adds the watched fds to pfds (INSTANTS entries, -1 for those not watched: poll ignores them). */
static void watch_instants(const struct instants *w, struct pollfd *pfds) {
  for (int i = 0; i < INSTANTS; i++) {
    pfds[i].fd = w->fds[i];
    /* The write end of the sync pipe reports POLLERR unasked; POLLOUT would be there at once. */
    pfds[i].events = i == READY ? 0 : POLLIN;
    pfds[i].revents = 0;
  }
}

static void note_instants(struct instants *w, const struct pollfd *pfds, struct job_status *out) {
  uint64_t now = 0;
  for (int i = 0; i < INSTANTS; i++) {
    if (pfds[i].fd < 0 || pfds[i].revents == 0)
      continue;
    if (now == 0)
      now = monotonic_ns();
    w->fds[i] = -1;
    if (i == READY)
      out->ready_ns = now;
    else if (i == STARTED && (pfds[i].revents & POLLIN) == 0) /* a message is a setup error: no start */
      out->started_ns = now;
    else if (i == EXITED)
      out->exited_ns = now;
  }
}

/* A hang-up of the caller's connection (a zygote's child only) is a termination request: the
 * caller (the worker, or the stub that stands for this launcher) is gone or let go of the launch.
 * Polled once: then it is forgotten. */
static void check_caller(const struct pollfd *pfd, bool *terminate, int *hangup_fd) {
  if (pfd->fd >= 0 && pfd->revents != 0) {
    *terminate = true;
    *hangup_fd = -1;
  }
}

static void kill_job(pid_t init_pid) {
  /* SIGKILL to a PID namespace's init takes every process of the namespace with it. */
  if (kill(init_pid, SIGKILL) < 0 && errno != ESRCH)
    die_errno("kill the job's init (pid %d)", (int)init_pid);
}

/* Returns true when init has been reaped. */
static bool drain_signals(int signal_fd, pid_t init_pid, bool *terminate) {
  bool reaped = false;
  for (int signo; (signo = next_signal(signal_fd)) != 0;)
    if (signo == SIGTERM || signo == SIGINT || signo == SIGHUP)
      *terminate = true;
  int status;
  pid_t r = waitpid(init_pid, &status, WNOHANG);
  if (r < 0 && errno != ECHILD)
    die_errno("waitpid init (pid %d)", (int)init_pid);
  if (r == init_pid || (r < 0 && errno == ECHILD))
    reaped = true;
  return reaped;
}

static void read_report(int report_fd, struct job_report *report, bool *have_report) {
  ssize_t n;
  do {
    n = read(report_fd, report, sizeof *report);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    die_errno("read the job report from init");
  *have_report = n == (ssize_t)sizeof *report;
}

/* --prestart: true when the program wrote its start byte; false when it ended without. */
static bool read_start_byte(int start_fd) {
  char byte;
  ssize_t n;
  do {
    n = read(start_fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    die_errno("read the start pipe");
  /* Anything the job writes there later is none of the launcher's business. */
  if (close(start_fd) < 0)
    die_errno("close the start pipe");
  return n == 1;
}

/* --prestart: wait, with no limit running, until the program starts its job (one byte on the
 * start pipe), ends without starting it (end of file: it died, or the sandbox failed), or the
 * caller asks to terminate. Returns true when the job started. */
static bool await_start(int start_fd, int signal_fd, int *hangup_fd, pid_t init_pid, bool *terminate, bool *reaped,
                        struct instants *instants, struct job_status *out) {
  for (;;) {
    struct pollfd pfds[3 + INSTANTS] = {{.fd = start_fd, .events = POLLIN}, {.fd = signal_fd, .events = POLLIN},
                                        {.fd = *hangup_fd, .events = POLLIN}};
    watch_instants(instants, &pfds[3]);
    if (poll(pfds, 3 + INSTANTS, -1) < 0) {
      if (errno == EINTR)
        continue;
      die_errno("poll the start pipe");
    }
    note_instants(instants, &pfds[3], out);
    check_caller(&pfds[2], terminate, hangup_fd);
    if (pfds[1].revents != 0)
      *reaped = drain_signals(signal_fd, init_pid, terminate);
    /* A job may start and end between two polls. Once init is reaped no writer is left, so the
     * read cannot block. */
    if (pfds[0].revents != 0 || *reaped) {
      bool started = read_start_byte(start_fd);
      if (started)
        out->started_ns = monotonic_ns();
      return started;
    }
    if (*terminate) {
      if (close(start_fd) < 0)
        die_errno("close the start pipe");
      return false;
    }
  }
}

void supervise(const struct config *cfg, pid_t init_pid, int report_fd, int signal_fd, int start_fd, int hangup_fd,
               int sync_fd, int error_fd, const struct cgroup *cg, struct job_status *out) {
  bool cpu_by_cgroup = cfg->cpu_ms > 0 && cg->mode != CGROUP_NONE;
  enum limit_hit killed_for = LIMIT_NONE;
  bool terminate = false;
  bool reaped = false;
  bool started = true;
  out->ready_ns = out->started_ns = out->exited_ns = 0;
  /* With --prestart the job's end is watched from its start on: await_start does not watch it. */
  struct instants instants = {.fds = {[READY] = sync_fd, [STARTED] = cfg->prestart ? -1 : error_fd, [EXITED] = -1}};
  if (cfg->prestart)
    started = await_start(start_fd, signal_fd, &hangup_fd, init_pid, &terminate, &reaped, &instants, out);
  instants.fds[EXITED] = report_fd;
  uint64_t start = monotonic_ms();
  uint64_t deadline = start + cfg->wall_ms;
  /* With --prestart the program's own start-up is not the job's: its CPU so far is subtracted. */
  uint64_t cpu_before = started && cfg->prestart && cg->mode != CGROUP_NONE ? cgroup_cpu_usage_ms(cg) : 0;

  while (!reaped) {
    uint64_t now = monotonic_ms();
    if (killed_for == LIMIT_NONE) {
      if (terminate)
        killed_for = LIMIT_TERMINATED;
      else if (now >= deadline)
        killed_for = LIMIT_WALL;
      else if (cpu_by_cgroup && cgroup_cpu_usage_ms(cg) - cpu_before >= cfg->cpu_ms)
        killed_for = LIMIT_CPU;
      if (killed_for != LIMIT_NONE)
        kill_job(init_pid);
    }
    int timeout = 1000; /* after the kill: only waiting for the reap */
    if (killed_for == LIMIT_NONE) {
      uint64_t left = deadline - now;
      timeout = (int)(left < 1000 ? left : 1000);
      if (cpu_by_cgroup && timeout > CPU_POLL_MS)
        timeout = CPU_POLL_MS;
    }
    struct pollfd pfds[2 + INSTANTS] = {{.fd = signal_fd, .events = POLLIN}, {.fd = hangup_fd, .events = POLLIN}};
    watch_instants(&instants, &pfds[2]);
    if (poll(pfds, 2 + INSTANTS, timeout) < 0) {
      if (errno != EINTR)
        die_errno("poll signalfd");
    } else {
      note_instants(&instants, &pfds[2], out);
    }
    check_caller(&pfds[1], &terminate, &hangup_fd);
    reaped = drain_signals(signal_fd, init_pid, &terminate);
  }
  uint64_t end_ns = monotonic_ns();
  uint64_t end = end_ns / 1000000u;
  /* Init reported and was reaped between two polls (or ended before the job started): now, at the latest. */
  if (out->exited_ns == 0)
    out->exited_ns = end_ns;

  struct job_report report;
  bool have_report = false;
  read_report(report_fd, &report, &have_report);
  struct job_stats stats = {0};
  cgroup_collect(cg, &stats);

  out->wall_ms = end - start;
  out->exit_code = -1;
  out->signal = 0;
  if (have_report) {
    if (WIFEXITED(report.wait_status))
      out->exit_code = WEXITSTATUS(report.wait_status);
    else if (WIFSIGNALED(report.wait_status))
      out->signal = WTERMSIG(report.wait_status);
  } else if (killed_for != LIMIT_NONE) {
    out->signal = SIGKILL;
  }
  out->started = started;
  /* Without init's word, the collector looks. */
  out->outputs_may_exist = !have_report || report.outputs_may_exist != 0;
  if (cg->mode != CGROUP_NONE) {
    out->cpu_ms = stats.cpu_ms > cpu_before ? stats.cpu_ms - cpu_before : 0;
    out->max_rss_kb = stats.max_rss_kb;
  } else if (have_report) {
    out->cpu_ms = (uint64_t)(report.usage.ru_utime.tv_sec + report.usage.ru_stime.tv_sec) * 1000u +
                  (uint64_t)(report.usage.ru_utime.tv_usec + report.usage.ru_stime.tv_usec) / 1000u;
    out->max_rss_kb = (uint64_t)report.usage.ru_maxrss;
  }
  out->limit = killed_for;
  if (out->limit == LIMIT_NONE) {
    if (stats.oom_killed)
      out->limit = LIMIT_MEMORY;
    else if (out->signal == SIGXCPU || (cfg->cpu_ms > 0 && out->cpu_ms >= cfg->cpu_ms && out->signal == SIGKILL))
      out->limit = LIMIT_CPU;
    else if (stats.pids_exhausted)
      out->limit = LIMIT_PROCESSES;
  }
}

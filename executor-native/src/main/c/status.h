/* The status line: the one JSON line the launcher writes on the status file when the job is over
 * (executor-native/LAUNCHER.md, "Status line"). The lowest layer, on libc alone: die() reports a
 * setup failure through it, so it never calls die() itself. */
#ifndef SANDQ_STATUS_H
#define SANDQ_STATUS_H

#include <stdbool.h>
#include <stdint.h>

/* Which limit ended the job, as reported in the status line. */
enum limit_hit { LIMIT_NONE, LIMIT_WALL, LIMIT_CPU, LIMIT_MEMORY, LIMIT_PROCESSES, LIMIT_TERMINATED };

/* What the status line says about the job (supervise() fills it in). */
struct job_status {
  int exit_code;
  int signal;
  enum limit_hit limit;
  uint64_t wall_ms;
  uint64_t cpu_ms;
  uint64_t max_rss_kb;
  bool started; /* false only with --prestart when the job ended (or was ended) before its start */
  /* False only when init reported the output directory empty (or gone) with nothing of the job
   * left running; not written in the status line. */
  bool outputs_may_exist;
  /* When the job passed three points, on CLOCK_MONOTONIC (the clock of Java's System.nanoTime()), in
   * nanoseconds; 0 when the launcher did not see it (written as null):
   *   ready_ns    the sandbox is built: init, in the job's cgroup with its root built, is about to
   *               fork the job (with --prestart: long before the job is handed over)
   *   started_ns  the program starts: the job's execve, or with --prestart its start byte
   *   exited_ns   init reported the end of the job's main process (or was found gone) */
  uint64_t ready_ns;
  uint64_t started_ns;
  uint64_t exited_ns;
};

/* Writes the line: cgroup_name is "v1", "v2" or "none", setup_error NULL or the sentence naming
 * the step that failed. If the line cannot be written, the process exits with 1 at once. */
void write_status(int fd, const struct job_status *s, const char *cgroup_name, const char *setup_error);

/* The line of a launch that failed before its program could run: no exit code, no cgroup, and
 * setup_error. */
void write_setup_error_status(int fd, const char *setup_error);

#endif

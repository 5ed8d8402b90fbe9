/* Resource limits of the job's process, as one table rather than a block per limit. */
#include "limits.h"

#include <sys/resource.h>

#include "die.h"
#include "options.h"

struct rlimit_row {
  int resource;
  const char *name;
  uint64_t value; /* soft limit; 0 = leave as inherited */
  uint64_t hard;  /* hard limit, >= value */
};

void apply_rlimits(const struct config *cfg, bool memory_by_cgroup, bool processes_by_cgroup) {
  /* RLIMIT_CPU is per process and in seconds: a backstop behind the cgroup's job-wide count,
   * and the only CPU limit when there is no cgroup. SIGXCPU at the soft limit, SIGKILL 1 s later. */
  uint64_t cpu_s = cfg->cpu_ms == 0 ? 0 : (cfg->cpu_ms + 999) / 1000;
  /* Never RLIMIT_AS: V8 reserves a large address-space cage up front. */
  uint64_t data = memory_by_cgroup ? 0 : cfg->memory_bytes;
  (void)processes_by_cgroup; /* RLIMIT_NPROC applies in every mode: each slot has its own uid */
  const struct rlimit_row rows[] = {
      {RLIMIT_CPU, "RLIMIT_CPU", cpu_s, cpu_s == 0 ? 0 : cpu_s + 1},
      {RLIMIT_DATA, "RLIMIT_DATA", data, data},
      {RLIMIT_FSIZE, "RLIMIT_FSIZE", cfg->file_bytes, cfg->file_bytes},
      {RLIMIT_NOFILE, "RLIMIT_NOFILE", cfg->open_files, cfg->open_files},
      {RLIMIT_NPROC, "RLIMIT_NPROC", cfg->processes, cfg->processes},
      {RLIMIT_STACK, "RLIMIT_STACK", cfg->stack_bytes, cfg->stack_bytes},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    if (rows[i].value == 0)
      continue;
    struct rlimit rl = {.rlim_cur = rows[i].value, .rlim_max = rows[i].hard};
    if (setrlimit(rows[i].resource, &rl) < 0)
      die_errno("setrlimit %s to %llu", rows[i].name, (unsigned long long)rows[i].value);
  }
  /* A job may lower its priority, never raise it (the nice value's floor is 20 - RLIMIT_NICE). */
  struct rlimit no_nice = {0, 0};
  if (setrlimit(RLIMIT_NICE, &no_nice) < 0)
    die_errno("setrlimit RLIMIT_NICE to 0");
  /* No core dumps ever: they could write outside the job's limits. */
  struct rlimit no_core = {0, 0};
  if (setrlimit(RLIMIT_CORE, &no_core) < 0)
    die_errno("setrlimit RLIMIT_CORE to 0");
}

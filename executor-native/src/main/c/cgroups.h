/* The job's cgroup: memory, pids and CPU accounting for every process of the job together. */
#ifndef SANDQ_CGROUPS_H
#define SANDQ_CGROUPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"

/* The job's per-job cgroup(s); paths are empty when a controller is not used. */
struct cgroup {
  enum cgroup_mode mode; /* CGROUP_V1, CGROUP_V2 or CGROUP_NONE once set up */
  char memory[512];
  char pids[512];
  char cpuacct[512];
  char unified[512];
};

struct job_stats {
  uint64_t cpu_ms;
  uint64_t max_rss_kb;
  bool oom_killed;
  bool pids_exhausted;
};

/* Creates PARENT/job-<named_after> with the job's limits, as --cgroup says. */
void cgroup_create(const struct config *cfg, pid_t named_after, struct cgroup *cg);
void cgroup_attach(const struct cgroup *cg, pid_t pid);
uint64_t cgroup_cpu_usage_ms(const struct cgroup *cg);
void cgroup_collect(const struct cgroup *cg, struct job_stats *stats);
/* Removes every directory of the job's cgroup; one message names each that could not go. */
void cgroup_destroy(const struct cgroup *cg);
/* Whether the cgroup limits the job's memory and processes (else the rlimits must). */
bool cgroup_limits_job(const struct cgroup *cg);
/* "v1", "v2" or "none", for the status line. */
const char *cgroup_mode_name(const struct cgroup *cg);

#endif

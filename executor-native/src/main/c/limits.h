/* The job's resource limits (rlimits). */
#ifndef SANDQ_LIMITS_H
#define SANDQ_LIMITS_H

#include <stdbool.h>

#include "options.h"

void apply_rlimits(const struct config *cfg, bool memory_by_cgroup, bool processes_by_cgroup);

#endif

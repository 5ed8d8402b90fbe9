/* launcher.c's entry points: a launch in this process. See launcher.c for the theory of
 * operation. */
#ifndef SANDQ_LAUNCHER_H
#define SANDQ_LAUNCHER_H

#include <stdbool.h>
#include <sys/types.h>

#include "options.h"

/* Who asked for the launch. */
struct launch_caller {
  bool in_process; /* a zygote's child: the job is not exec'ed, but continues the interpreter */
  pid_t pid;       /* the job's cgroup is named after it (job-PID): the process the caller started,
                      which in a zygote's child is that child */
  int hangup_fd;   /* the caller's connection in a zygote's child, whose hang-up terminates the
                      job; else -1 */
  char job_name[16]; /* in a zygote's child: the interpreter's process name (comm), which the job
                        takes back as an execve of it would give it; else unused */
};

#define LAUNCHER_JOB_CONTINUES (-1)

/* sandq-launcher OPTIONS -- PROGRAM (main.c): parses the options and launches. Returns the exit
 * code. */
int launcher_main(int argc, char **argv);
/* The launch of cfg, parsed and with die()'s status fd set; a zygote's child (zygote_child.c)
 * calls it with its own caller. cfg must live as long as the process: in a zygote's child, the
 * job's program reads its argv and environment from it. Returns the exit code, or
 * LAUNCHER_JOB_CONTINUES in the job of an in-process launch; never returns elsewhere. */
int launch(struct config *cfg, const struct launch_caller *caller);

#endif

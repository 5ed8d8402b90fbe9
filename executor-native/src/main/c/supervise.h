/* Supervision, in the launcher outside the sandbox: limits, termination, reaping. */
#ifndef SANDQ_SUPERVISE_H
#define SANDQ_SUPERVISE_H

#include <sys/resource.h>
#include <sys/types.h>

#include "cgroups.h"
#include "options.h"
#include "status.h"

/* What the sandbox's init tells the launcher about the job's main process, over the report pipe:
 * its wait status and rusage, and, with --files-out, whether the output directory may hold
 * files once every process of the job is gone (0: it is empty or gone, and the launcher need not
 * fork a collector to find that out). */
struct job_report {
  int wait_status;
  struct rusage usage;
  int outputs_may_exist;
};

/* Waits for the job's end (killing it at a limit or on request), reaps init and fills in out.
 * report_fd: init's report of the job's end; signal_fd: SIGCHLD/SIGTERM/SIGINT/SIGHUP; start_fd:
 * the start pipe with --prestart, else -1; hangup_fd: the connection of the stub that stands for
 * this launcher in a zygote's child, else -1. Only watched, for the instants of the status line
 * (ready_ns, started_ns): sync_fd, the write end of the sync pipe, still open after the
 * go-aheads; error_fd, the read end of the setup error pipe, still unread. */
void supervise(const struct config *cfg, pid_t init_pid, int report_fd, int signal_fd, int start_fd, int hangup_fd,
               int sync_fd, int error_fd, const struct cgroup *cg, struct job_status *out);

#endif

/* Output files (--files-out): the regular files a job leaves in its output directory, copied out
 * to the caller once every process of the job is gone (executor-native/LAUNCHER.md, "Output
 * files"). */
#ifndef SANDQ_OUTPUTS_H
#define SANDQ_OUTPUTS_H

#include "options.h"

/* In the job, before its program starts: its output directory, created as the job's uid. */
void make_output_dir(const struct config *cfg);

/* In the launcher, after init is reaped (so no process of the job is left) and before the status
 * line: a collector process enters the job's mount namespace (mount_ns; with --userns its user
 * namespace, user_ns, first), drops to the job's uid and writes the output directory's regular
 * files to cfg->files_out_fd. A failure of the collector is written there as the last record;
 * it never fails the launch. */
void collect_outputs(const struct config *cfg, int mount_ns, int user_ns);

#endif

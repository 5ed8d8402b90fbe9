/* Output files (--files-out): the regular files a job leaves in its output directory, copied out
 * to the caller once every process of the job is gone (executor-native/LAUNCHER.md, "Output
 * files"). */
#ifndef SANDQ_OUTPUTS_H
#define SANDQ_OUTPUTS_H

#include <stdbool.h>

#include "options.h"

/* In the job, before its program starts: its output directory, created as the job's uid. */
void make_output_dir(const struct config *cfg);

/* In init, once the job's main process has ended and init has killed and reaped every other
 * process of the job: whether the output directory may hold files. False only when it is empty
 * or gone; true when it has an entry, is something else than a directory, or cannot be read (the
 * collector then judges it). Opens each component with O_NOFOLLOW and reads no file: as root in
 * the job's namespaces, it only looks at names. Never fails. */
bool output_dir_may_have_files(const char *output_dir);

/* In the launcher, after init is reaped (so no process of the job is left) and before the status
 * line, unless init found the output directory empty (may_exist false: then only the end record
 * is written): a collector process enters the job's mount namespace (mount_ns; with --userns its user
 * namespace, user_ns, first), drops to the job's uid and writes the output directory's regular
 * files to cfg->files_out_fd. A failure of the collector is written there as the last record;
 * it never fails the launch. */
void collect_outputs(const struct config *cfg, int mount_ns, int user_ns, bool may_exist);

#endif

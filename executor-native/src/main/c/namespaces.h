/* Namespaces: which ones a job gets, the clone into them, and the user namespace's id maps. */
#ifndef SANDQ_NAMESPACES_H
#define SANDQ_NAMESPACES_H

#include <sys/types.h>

#include "options.h"

int namespace_clone_flags(const struct config *cfg);
/* fork(2)-like: returns 0 in the child, which is PID 1 of the new PID namespace. */
pid_t clone_into_namespaces(int flags);
/* An fd on init's mount namespace, which keeps it alive after init exits. */
int hold_mount_namespace(pid_t init_pid);
/* An fd on init's user namespace (--userns), for the output collector (outputs.c). */
int hold_user_namespace(pid_t init_pid);
void write_id_maps(pid_t child, uid_t outer_uid, gid_t outer_gid);
void set_hostname(const char *name);

#endif

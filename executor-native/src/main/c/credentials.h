/* Dropping privileges: the job's (and the egress relay's) uid, gid, groups and capabilities. */
#ifndef SANDQ_CREDENTIALS_H
#define SANDQ_CREDENTIALS_H

#include "options.h"

/* No groups, the slot's uid/gid (SANDBOX_UID/GID with --userns), no capabilities in any set,
 * every change read back; then PR_SET_NO_NEW_PRIVS. */
void drop_privileges(const struct config *cfg);

#endif

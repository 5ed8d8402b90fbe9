/* Dropping privileges: the job's (and the egress relay's) uid, gid, groups and capabilities. */
#ifndef SANDQ_CREDENTIALS_H
#define SANDQ_CREDENTIALS_H

#include "options.h"

/* No groups, the slot's uid/gid (SANDBOX_UID/GID with --userns), no capabilities in any set,
 * every change read back (regaining uid 0 must fail). */
void drop_privileges(const struct config *cfg);
/* PR_SET_NO_NEW_PRIVS: no execve can grant privileges again (set-uid bits, file capabilities). */
void forbid_new_privileges(void);

#endif

/* The process name (comm) of each role: sandq-launcher, sandq-init, sandq-relay; the job keeps
 * (or, forked from the zygote, takes back) its interpreter's. */
#include "process_name.h"

#include <sys/prctl.h>

#include "die.h"

void name_process(const char *name) {
  if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
    die_errno("prctl PR_SET_NAME %s", name);
}

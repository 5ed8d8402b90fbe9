/* The job's root: read-only binds of what the options list, scratch tmpfs, /dev, /proc. */
#ifndef SANDQ_MOUNTS_H
#define SANDQ_MOUNTS_H

#include "options.h"

/* In a mount namespace of its own: builds the new root, pivots into it, detaches the host's and
 * makes the root read-only. */
void build_root(const struct config *cfg);

#endif

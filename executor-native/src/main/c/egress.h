/* Egress: the job's only way out, when it has the network (--egress-socket). */
#ifndef SANDQ_EGRESS_H
#define SANDQ_EGRESS_H

#include "options.h"

/* Where the worker's egress proxy socket is bound inside the job's root. */
#define EGRESS_SOCKET_INSIDE "/run/sandq/egress.sock"

/* In init, after the root is built: brings lo up and forks the relay. */
void egress_start(const struct config *cfg);

#endif

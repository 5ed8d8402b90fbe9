/* sandq-launcher --zygote-serve SOCKET OPTIONS -- PROGRAM: starts a zygote (see zygote_stub.c and
 * zygote_child.c). The zygote's interpreter must start up as a job's would, from the same files:
 * a host-only file (Debian's /etc/python3.11/sitecustomize.py, say) must not run in it. So it is
 * exec'ed, still as root and without other namespaces or limits, in a mount namespace of its own
 * holding the job's root (build_root, with OPTIONS' mounts). Its listening socket is bound in the
 * host's view first, and the host's mount namespace is kept on an fd for its children, which go
 * back to it before they build a job's root. */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "die.h"
#include "io.h"
#include "mounts.h"
#include "options.h"

static int listen_on(const char *path) {
  struct sockaddr_un addr;
  int fd = zygote_socket(path, "--zygote-serve", &addr);
  mode_t old_umask = umask(0077); /* the socket: the worker's uid only */
  int bound = bind(fd, (struct sockaddr *)&addr, sizeof addr);
  umask(old_umask);
  if (bound < 0)
    die_errno("bind the zygote socket %s", path);
  if (listen(fd, 64) < 0)
    die_errno("listen on the zygote socket %s", path);
  return fd;
}

static void place_inherited(int fd, int target, const char *what) {
  if (dup2(fd, target) < 0) /* the copy at target is not close-on-exec */
    die_errno("dup2 %s to fd %d", what, target);
}

void zygote_serve(const struct config *cfg) {
  if (cfg->userns)
    die_usage("--zygote-serve needs root: not with --userns");
  /* Above 4, so that placing one at fd 3 or 4 cannot overwrite the other. */
  int listen_fd = move_fd_above(listen_on(cfg->zygote_socket), 16, "the zygote socket");
  int host_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (host_ns < 0)
    die_errno("open the host's mount namespace");
  host_ns = move_fd_above(host_ns, 16, "the host's mount namespace");
  if (unshare(CLONE_NEWNS) < 0)
    die_errno("unshare the zygote's mount namespace");
  build_root(cfg);
  if (chdir(cfg->cwd) < 0)
    die_errno("chdir %s", cfg->cwd);
  /* From here the status file's fd may be overwritten: a failure goes to stderr. */
  die_set_status_fd(-1);
  place_inherited(listen_fd, ZYGOTE_LISTEN_FD, "the zygote socket");
  place_inherited(host_ns, ZYGOTE_HOST_NS_FD, "the host's mount namespace");
  execve(cfg->argv[0], cfg->argv, cfg->env);
  die_errno("execve the zygote %s", cfg->argv[0]);
}

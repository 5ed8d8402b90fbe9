/* Namespaces: which ones a job gets, the clone into them, and the user namespace's id maps. */
#include "namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "die.h"
#include "options.h"

int namespace_clone_flags(const struct config *cfg) {
  /* Always a new network namespace: a job never shares the host's. With the network it still
   * has only its own loopback, where the egress relay listens (egress.c). */
  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWNET;
  if (cfg->userns)
    flags |= CLONE_NEWUSER;
  return flags;
}

/* fork(2)-like: returns 0 in the child, which is PID 1 of the new PID namespace. */
pid_t clone_into_namespaces(int flags) {
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0)
    die_errno("clone with namespace flags 0x%x", (unsigned)flags);
  return pid;
}

/* An fd on init's namespace of the kind /proc/PID/ns names NAME ("mnt", "user"), which keeps it
 * alive after init exits; WHAT says whose it is in the error. */
static int hold_namespace(pid_t init_pid, const char *name, const char *what) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)init_pid, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    die_errno("open %s to hold %s", path, what);
  return fd;
}

/* An fd on the job's mount namespace keeps it alive after init exits. Its teardown (every mount
 * of the sandbox detached, then an RCU grace period) then happens when the launcher closes the
 * fd after the status line, instead of in init's exit, which the status line waits for. */
int hold_mount_namespace(pid_t init_pid) {
  return hold_namespace(init_pid, "mnt", "the job's mount namespace");
}

int hold_user_namespace(pid_t init_pid) {
  return hold_namespace(init_pid, "user", "the job's user namespace");
}

static void write_proc_file(pid_t pid, const char *name, const char *content) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    die_errno("open %s", path);
  ssize_t n = write(fd, content, strlen(content));
  if (n < 0 || (size_t)n != strlen(content))
    die_errno("write '%s' to %s", content, path);
  if (close(fd) < 0)
    die_errno("close %s", path);
}

/* Maps exactly one id: the caller's, to SANDBOX_UID/GID inside. setgroups is denied first,
 * as the kernel requires for an unprivileged gid_map, and so the job can never gain groups. */
void write_id_maps(pid_t child, uid_t outer_uid, gid_t outer_gid) {
  char map[64];
  write_proc_file(child, "setgroups", "deny");
  snprintf(map, sizeof map, "%u %u 1\n", SANDBOX_UID, (unsigned)outer_uid);
  write_proc_file(child, "uid_map", map);
  snprintf(map, sizeof map, "%u %u 1\n", SANDBOX_GID, (unsigned)outer_gid);
  write_proc_file(child, "gid_map", map);
}

void set_hostname(const char *name) {
  if (sethostname(name, strlen(name)) < 0)
    die_errno("sethostname %s", name);
  if (setdomainname(name, strlen(name)) < 0)
    die_errno("setdomainname %s", name);
}

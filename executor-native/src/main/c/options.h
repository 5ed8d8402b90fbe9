/* The launcher's options (executor-native/LAUNCHER.md), parsed once into a struct config that
 * every step of the launch reads. */
#ifndef SANDQ_OPTIONS_H
#define SANDQ_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_MOUNTS 128
#define MAX_ENV 64
#define MAX_COPY_IN 8

/* --userns: the ids the job has inside its user namespace, mapped to the caller's. */
#define SANDBOX_UID 1000
#define SANDBOX_GID 1000

enum cgroup_mode { CGROUP_AUTO, CGROUP_V1, CGROUP_V2, CGROUP_NONE };

enum mount_kind { MOUNT_RO_BIND, MOUNT_RO_BIND_TRY, MOUNT_DEV_BIND, MOUNT_SYMLINK };

struct mount_spec {
  enum mount_kind kind;
  const char *src; /* host path, or the symlink's target */
  const char *dst; /* path inside the sandbox */
};

struct copy_in {
  const char *path; /* inside the sandbox */
  char *data;
  size_t len;
};

struct config {
  int status_fd;
  int seccomp_fd;
  bool userns;
  uid_t uid;
  gid_t gid;
  const char *egress_socket; /* host path of the worker's egress proxy socket, or NULL: no network */
  const char *hostname;
  const char *cwd;
  uint64_t tmp_size;
  uint64_t wall_ms;
  uint64_t cpu_ms;
  uint64_t memory_bytes;
  uint64_t processes;
  uint64_t file_bytes;
  uint64_t open_files;
  uint64_t stack_bytes;
  enum cgroup_mode cgroup_mode;
  const char *cgroup_parent;
  struct mount_spec mounts[MAX_MOUNTS];
  size_t n_mounts;
  struct copy_in copies[MAX_COPY_IN];
  int copy_fds[MAX_COPY_IN];
  size_t n_copies;
  char *env[MAX_ENV + 1];
  size_t n_env;
  char **argv; /* program and its arguments, NULL-terminated */
  bool prestart; /* the program starts at once; the limits' clocks when it writes a byte on fd 3 */
  const char *zygote_socket; /* --zygote-serve: exec the program as a zygote listening there */
  const char *output_dir;    /* --output-dir: created for the job, as its uid; NULL: none */
  int files_out_fd;          /* --files-out: where the output files are copied out (outputs.c); -1: not */
  uint64_t output_max_files;
  uint64_t output_max_bytes;
};

/* Fills cfg from argv (pointing into it) and opens the status, seccomp and copy-in files; the
 * copy-ins are read later. Bad usage exits with 2 (die_usage). */
void parse_options(int argc, char **argv, struct config *cfg);

#endif

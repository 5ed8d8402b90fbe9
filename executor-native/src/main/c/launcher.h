/* sandq-launcher: shared declarations. See launcher.c for the theory of operation. */
#ifndef SANDQ_LAUNCHER_H
#define SANDQ_LAUNCHER_H

#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "status.h"

#define MAX_MOUNTS 128
#define MAX_ENV 64
#define MAX_COPY_IN 8

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
};

/* A loaded seccomp program (struct sock_filter array). */
struct bpf_program_bytes {
  unsigned char *bytes;
  size_t len;
};

/* The job's per-job cgroup(s); paths are empty when a controller is not used. */
struct cgroup {
  enum cgroup_mode mode; /* CGROUP_V1, CGROUP_V2 or CGROUP_NONE once set up */
  char memory[512];
  char pids[512];
  char cpuacct[512];
  char unified[512];
};

struct job_stats {
  uint64_t cpu_ms;
  uint64_t max_rss_kb;
  bool oom_killed;
  bool pids_exhausted;
};

/* die.c: fatal errors. In the launcher they become the status line's setup_error; in the
 * sandbox's processes they travel over the setup-error pipe. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_usage(const char *fmt, ...);
void die_set_status_fd(int fd);
void die_set_error_pipe(int fd);
int die_error_pipe(void);
void write_all(int fd, const void *buf, size_t len, const char *what);
void read_all_fd(int fd, char **out, size_t *len, const char *what);
/* Reads exactly len bytes; false when the other end closed before the first byte (end of file,
 * or a reset: it closed with what we sent unread). */
bool read_exactly(int fd, void *buf, size_t len, const char *what);
/* fd moved to the lowest free fd >= min (close-on-exec), the original closed. */
int move_fd_above(int fd, int min, const char *what);

/* signals.c */
int block_to_signalfd(const int *signals, size_t n, const char *names);
/* The next pending signal's number, or 0 when none is pending. */
int next_signal(int signal_fd);

/* launcher.c: the launcher's whole run. main.c calls launcher_main; a zygote's child
 * (zygote_child.c) parses the options itself and calls launch, which returns
 * LAUNCHER_JOB_CONTINUES in the job (confined, not exec'ed: in_process) and never returns
 * elsewhere. Otherwise both return the exit code. */
struct launch_caller {
  bool in_process; /* a zygote's child: the job is not exec'ed, but continues the interpreter */
  pid_t pid;       /* the job's cgroup is named after it (job-PID): the process the caller started,
                      which in a zygote's child is the stub */
  int hangup_fd;   /* the stub's connection in a zygote's child, whose hang-up terminates the job;
                      else -1 */
};
#define LAUNCHER_JOB_CONTINUES (-1)
int launcher_main(int argc, char **argv);
/* cfg is parsed and die()'s status fd set; it must live as long as the process (in a zygote's
 * child, the job's program reads its argv and environment from it). */
int launch(struct config *cfg, const struct launch_caller *caller);

/* options.c */
void parse_options(int argc, char **argv, struct config *cfg);

/* namespaces.c */
int namespace_clone_flags(const struct config *cfg);
pid_t clone_into_namespaces(int flags);
int hold_mount_namespace(pid_t init_pid);
void write_id_maps(pid_t child, uid_t outer_uid, gid_t outer_gid);
void set_hostname(const char *name);

/* mounts.c */
void build_root(const struct config *cfg);

/* egress.c: the job's only way out, when it has the network */
#define EGRESS_SOCKET_INSIDE "/run/sandq/egress.sock"
#define EGRESS_PORT 3128
void egress_start(const struct config *cfg);

/* limits.c */
void apply_rlimits(const struct config *cfg, bool memory_by_cgroup, bool processes_by_cgroup);

/* cgroups.c */
void cgroup_create(const struct config *cfg, pid_t named_after, struct cgroup *cg);
void cgroup_attach(const struct cgroup *cg, pid_t pid);
uint64_t cgroup_cpu_usage_ms(const struct cgroup *cg);
void cgroup_collect(const struct cgroup *cg, struct job_stats *stats);
void cgroup_destroy(const struct cgroup *cg);
bool cgroup_limits_job(const struct cgroup *cg);
const char *cgroup_mode_name(const struct cgroup *cg);

/* credentials.c */
void drop_privileges(const struct config *cfg);

/* seccomp.c */
void load_seccomp_program(int fd, struct bpf_program_bytes *prog);
void install_seccomp(const struct bpf_program_bytes *prog);

/* supervise.c */
/* hangup_fd: the connection of the stub that stands for this launcher in a zygote's child, else
 * -1. */
void supervise(const struct config *cfg, pid_t init_pid, int report_fd, int signal_fd, int start_fd, int hangup_fd,
               const struct cgroup *cg, struct job_status *out);

/* zygote_stub.c and zygote_child.c: a launch handed to a warm interpreter (a zygote) over a unix
 * socket. The stub sends its argv, and its stdin, stdout, stderr and working directory as fds; the
 * zygote's child answers with its pid, runs launcher_main, and ends with one byte: its exit code. */
#define ZYGOTE_FDS 4
#define ZYGOTE_MAX_ARGS (64 * 1024)
struct zygote_request {
  uint32_t argc;
  uint32_t args_len; /* argv strings, each NUL-terminated, follow the header */
};
int zygote_stub_main(int argc, char **argv);
/* zygote_serve.c: --zygote-serve SOCKET. The zygote sees the files as a job does: it is exec'ed in
 * a mount namespace of its own with the job's root, its listening socket on fd ZYGOTE_LISTEN_FD and
 * the host's mount namespace on fd ZYGOTE_HOST_NS_FD, which its children go back to (to build
 * the jobs' roots from the host's files). Root only: no user namespace. */
#define ZYGOTE_LISTEN_FD 3
#define ZYGOTE_HOST_NS_FD 4
struct sockaddr_un;
/* A unix stream socket (close-on-exec) and its address for path, given with option. */
int zygote_socket(const char *path, const char *option, struct sockaddr_un *addr);
__attribute__((noreturn)) void zygote_serve(const struct config *cfg);

/* --prestart: the job's end of the start pipe, where the program signals its start. */
#define START_FD 3

#define SANDBOX_UID 1000
#define SANDBOX_GID 1000

#endif

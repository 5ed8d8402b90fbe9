/* Command-line parsing: the whole contract is in executor-native/LAUNCHER.md. */
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "die.h"
#include "egress.h"

enum {
  OPT_STATUS_FILE = 256, OPT_SECCOMP_FILE, OPT_COPY_IN, OPT_RO_BIND, OPT_RO_BIND_TRY, OPT_SYMLINK,
  OPT_DEV_BIND, OPT_UID, OPT_GID, OPT_USERNS, OPT_TMP_SIZE, OPT_CWD, OPT_WALL_MS, OPT_CPU_MS,
  OPT_MEMORY_BYTES, OPT_PROCESSES, OPT_FILE_BYTES, OPT_OPEN_FILES, OPT_STACK_BYTES, OPT_CGROUP,
  OPT_CGROUP_PARENT, OPT_EGRESS_SOCKET, OPT_HOSTNAME, OPT_ENV, OPT_PRESTART, OPT_ZYGOTE_SERVE, OPT_OUTPUT_DIR,
  OPT_FILES_OUT, OPT_OUTPUT_MAX_FILES, OPT_OUTPUT_MAX_BYTES, OPT_HELP
};

static const struct option long_options[] = {
    {"status-file", required_argument, NULL, OPT_STATUS_FILE},
    {"seccomp-file", required_argument, NULL, OPT_SECCOMP_FILE},
    {"copy-in", required_argument, NULL, OPT_COPY_IN},
    {"ro-bind", required_argument, NULL, OPT_RO_BIND},
    {"ro-bind-try", required_argument, NULL, OPT_RO_BIND_TRY},
    {"symlink", required_argument, NULL, OPT_SYMLINK},
    {"dev-bind", required_argument, NULL, OPT_DEV_BIND},
    {"uid", required_argument, NULL, OPT_UID},
    {"gid", required_argument, NULL, OPT_GID},
    {"userns", no_argument, NULL, OPT_USERNS},
    {"tmp-size", required_argument, NULL, OPT_TMP_SIZE},
    {"cwd", required_argument, NULL, OPT_CWD},
    {"wall-ms", required_argument, NULL, OPT_WALL_MS},
    {"cpu-ms", required_argument, NULL, OPT_CPU_MS},
    {"memory-bytes", required_argument, NULL, OPT_MEMORY_BYTES},
    {"processes", required_argument, NULL, OPT_PROCESSES},
    {"file-bytes", required_argument, NULL, OPT_FILE_BYTES},
    {"open-files", required_argument, NULL, OPT_OPEN_FILES},
    {"stack-bytes", required_argument, NULL, OPT_STACK_BYTES},
    {"cgroup", required_argument, NULL, OPT_CGROUP},
    {"cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT},
    {"egress-socket", required_argument, NULL, OPT_EGRESS_SOCKET},
    {"hostname", required_argument, NULL, OPT_HOSTNAME},
    {"env", required_argument, NULL, OPT_ENV},
    {"prestart", no_argument, NULL, OPT_PRESTART},
    {"zygote-serve", required_argument, NULL, OPT_ZYGOTE_SERVE},
    {"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
    {"files-out", required_argument, NULL, OPT_FILES_OUT},
    {"output-max-files", required_argument, NULL, OPT_OUTPUT_MAX_FILES},
    {"output-max-bytes", required_argument, NULL, OPT_OUTPUT_MAX_BYTES},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static uint64_t parse_u64(const char *option, const char *value) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || value[0] == '-')
    die_usage("--%s needs a non-negative decimal number, got '%s'", option, value);
  return (uint64_t)v;
}

static int open_file(const char *option, const char *path, int flags) {
  if (path[0] != '/')
    die_usage("--%s needs an absolute path, got '%s'", option, path);
  int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    die_usage("--%s %s: %s", option, path, strerror(errno));
  return fd;
}

/* Splits "A:B" in place; both halves must be non-empty, B absolute when required. */
static void split_pair(const char *option, char *value, char **first, char **second, bool second_absolute) {
  char *colon = strchr(value, ':');
  if (colon == NULL || colon == value || colon[1] == '\0')
    die_usage("--%s needs A:B, got '%s'", option, value);
  *colon = '\0';
  *first = value;
  *second = colon + 1;
  if (second_absolute && (*second)[0] != '/')
    die_usage("--%s: '%s' must be an absolute path", option, *second);
  if (strstr(*second, "..") != NULL)
    die_usage("--%s: '%s' must not contain '..'", option, *second);
}

static void add_mount(struct config *cfg, enum mount_kind kind, const char *option, char *value) {
  if (cfg->n_mounts == MAX_MOUNTS)
    die_usage("too many mounts (max %d)", MAX_MOUNTS);
  char *src, *dst;
  split_pair(option, value, &src, &dst, true);
  if (kind != MOUNT_SYMLINK && src[0] != '/')
    die_usage("--%s: source '%s' must be an absolute path", option, src);
  cfg->mounts[cfg->n_mounts++] = (struct mount_spec){.kind = kind, .src = src, .dst = dst};
}

static void add_copy_in(struct config *cfg, char *value) {
  if (cfg->n_copies == MAX_COPY_IN)
    die_usage("too many --copy-in (max %d)", MAX_COPY_IN);
  char *source, *path;
  split_pair("copy-in", value, &source, &path, true);
  cfg->copy_fds[cfg->n_copies] = open_file("copy-in", source, O_RDONLY);
  cfg->copies[cfg->n_copies].path = path;
  cfg->n_copies++;
}

static enum cgroup_mode parse_cgroup_mode(const char *value) {
  if (strcmp(value, "auto") == 0) return CGROUP_AUTO;
  if (strcmp(value, "v1") == 0) return CGROUP_V1;
  if (strcmp(value, "v2") == 0) return CGROUP_V2;
  if (strcmp(value, "none") == 0) return CGROUP_NONE;
  die_usage("--cgroup must be auto, v1, v2 or none, got '%s'", value);
}

void parse_options(int argc, char **argv, struct config *cfg) {
  *cfg = (struct config){
      .status_fd = -1, .seccomp_fd = -1, .hostname = "sandq", .cwd = "/tmp",
      .tmp_size = 16u << 20, .stack_bytes = 8u << 20, .cgroup_mode = CGROUP_AUTO,
      .cgroup_parent = "sandq", .files_out_fd = -1, .output_max_files = 64, .output_max_bytes = 8u << 20,
  };
  bool have_wall = false, have_uid = false, have_gid = false;
  int opt;
  while ((opt = getopt_long(argc, argv, "+", long_options, NULL)) != -1) {
    switch (opt) {
    case OPT_STATUS_FILE: cfg->status_fd = open_file("status-file", optarg, O_WRONLY | O_CREAT | O_TRUNC); break;
    case OPT_SECCOMP_FILE: cfg->seccomp_fd = open_file("seccomp-file", optarg, O_RDONLY); break;
    case OPT_COPY_IN: add_copy_in(cfg, optarg); break;
    case OPT_RO_BIND: add_mount(cfg, MOUNT_RO_BIND, "ro-bind", optarg); break;
    case OPT_RO_BIND_TRY: add_mount(cfg, MOUNT_RO_BIND_TRY, "ro-bind-try", optarg); break;
    case OPT_SYMLINK: add_mount(cfg, MOUNT_SYMLINK, "symlink", optarg); break;
    case OPT_DEV_BIND: add_mount(cfg, MOUNT_DEV_BIND, "dev-bind", optarg); break;
    case OPT_UID: cfg->uid = (uid_t)parse_u64("uid", optarg); have_uid = true; break;
    case OPT_GID: cfg->gid = (gid_t)parse_u64("gid", optarg); have_gid = true; break;
    case OPT_USERNS: cfg->userns = true; break;
    case OPT_TMP_SIZE: cfg->tmp_size = parse_u64("tmp-size", optarg); break;
    case OPT_CWD: cfg->cwd = optarg; break;
    case OPT_WALL_MS: cfg->wall_ms = parse_u64("wall-ms", optarg); have_wall = true; break;
    case OPT_CPU_MS: cfg->cpu_ms = parse_u64("cpu-ms", optarg); break;
    case OPT_MEMORY_BYTES: cfg->memory_bytes = parse_u64("memory-bytes", optarg); break;
    case OPT_PROCESSES: cfg->processes = parse_u64("processes", optarg); break;
    case OPT_FILE_BYTES: cfg->file_bytes = parse_u64("file-bytes", optarg); break;
    case OPT_OPEN_FILES: cfg->open_files = parse_u64("open-files", optarg); break;
    case OPT_STACK_BYTES: cfg->stack_bytes = parse_u64("stack-bytes", optarg); break;
    case OPT_CGROUP: cfg->cgroup_mode = parse_cgroup_mode(optarg); break;
    case OPT_CGROUP_PARENT:
      if (optarg[0] == '\0' || strchr(optarg, '/') != NULL || strcmp(optarg, "..") == 0 || strcmp(optarg, ".") == 0)
        die_usage("--cgroup-parent must be a single path component, got '%s'", optarg);
      cfg->cgroup_parent = optarg;
      break;
    case OPT_EGRESS_SOCKET:
      if (cfg->egress_socket != NULL) die_usage("--egress-socket given twice");
      if (optarg[0] != '/') die_usage("--egress-socket needs an absolute path, got '%s'", optarg);
      if (cfg->n_mounts == MAX_MOUNTS) die_usage("too many mounts (max %d)", MAX_MOUNTS);
      cfg->egress_socket = optarg;
      /* bound read-only like any other file (connect() only needs write permission on the socket) */
      cfg->mounts[cfg->n_mounts++] = (struct mount_spec){.kind = MOUNT_RO_BIND, .src = optarg, .dst = EGRESS_SOCKET_INSIDE};
      break;
    case OPT_HOSTNAME: cfg->hostname = optarg; break;
    case OPT_ENV:
      if (cfg->n_env == MAX_ENV) die_usage("too many --env (max %d)", MAX_ENV);
      if (strchr(optarg, '=') == NULL || optarg[0] == '=') die_usage("--env needs KEY=VALUE, got '%s'", optarg);
      cfg->env[cfg->n_env++] = optarg;
      break;
    case OPT_PRESTART: cfg->prestart = true; break;
    case OPT_ZYGOTE_SERVE:
      if (optarg[0] != '/') die_usage("--zygote-serve needs an absolute socket path, got '%s'", optarg);
      cfg->zygote_socket = optarg;
      break;
    case OPT_OUTPUT_DIR:
      if (optarg[0] != '/' || strstr(optarg, "/..") != NULL || strcmp(optarg, "/") == 0)
        die_usage("--output-dir needs an absolute path without '..', not /, got '%s'", optarg);
      cfg->output_dir = optarg;
      break;
    case OPT_FILES_OUT:
      if (cfg->files_out_fd >= 0) die_usage("--files-out given twice");
      cfg->files_out_fd = open_file("files-out", optarg, O_WRONLY | O_CREAT | O_TRUNC);
      break;
    case OPT_OUTPUT_MAX_FILES: cfg->output_max_files = parse_u64("output-max-files", optarg); break;
    case OPT_OUTPUT_MAX_BYTES: cfg->output_max_bytes = parse_u64("output-max-bytes", optarg); break;
    case OPT_HELP:
      printf("usage: sandq-launcher --status-file PATH --seccomp-file PATH --wall-ms N [OPTIONS] -- PROGRAM [ARG...]\n"
             "Runs PROGRAM in a fresh sandbox and writes one JSON status line to the status file.\n"
             "Options and the status line are described in executor-native/LAUNCHER.md.\n");
      exit(0);
    default: die_usage("unknown option");
    }
  }
  cfg->env[cfg->n_env] = NULL;
  if (optind >= argc)
    die_usage("missing PROGRAM after --");
  cfg->argv = &argv[optind];
  if (cfg->argv[0][0] != '/')
    die_usage("PROGRAM must be an absolute path inside the sandbox, got '%s'", cfg->argv[0]);
  if (cfg->status_fd < 0) die_usage("--status-file is required");
  if (cfg->seccomp_fd < 0) die_usage("--seccomp-file is required");
  if (!have_wall || cfg->wall_ms == 0) die_usage("--wall-ms is required and must be > 0");
  if (cfg->cwd[0] != '/') die_usage("--cwd must be absolute, got '%s'", cfg->cwd);
  if (cfg->files_out_fd >= 0 && cfg->output_dir == NULL) die_usage("--files-out needs --output-dir");
  if (cfg->output_max_files > 100000) die_usage("--output-max-files must be at most 100000");
  if (cfg->userns) {
    if (have_uid || have_gid) die_usage("--userns and --uid/--gid are exclusive");
  } else {
    if (!have_uid || !have_gid) die_usage("--uid and --gid are required unless --userns");
    if (cfg->uid == 0 || cfg->gid == 0) die_usage("--uid and --gid must not be 0");
  }
}

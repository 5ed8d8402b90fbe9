/* A launch in a zygote's child: libsandq-launcher.so's entry, called by the zygote (a warm
 * interpreter: resources/dev/sandq/executor/zygote/python3.py, and ZYGOTE.md) in the child it
 * forked for one caller's connection: the worker's own (zygote_client.c), or a stub's
 * (sandq-launcher --zygote, zygote_stub.c).
 *
 * The child takes the caller's place: it checks that the peer runs as its own uid, receives the
 * caller's argv, stdio and working directory, puts them where the launcher has them, closes every
 * other fd it inherited from the zygote, parses the options, checks that the zygote may run the
 * launch, and runs launch() (launcher.c). In the job, which is a fork of init and so of this
 * child, launch returns once the job is confined (uid, rlimits, no capabilities, no new
 * privileges, seccomp): sandq_zygote_child returns 0 there, and the interpreter runs the job's
 * program. Everywhere else it never returns: the child (the launcher) sends its exit code to the
 * caller and exits; init exits with the job. The calls go one way: launcher.c knows nothing of
 * zygotes but the struct launch_caller it is given. */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "die.h"
#include "io.h"
#include "launcher.h"
#include "options.h"
#include "process_name.h"

/* Above any fd the launcher's options may open: where the received fds wait to be placed. */
#define PARKED_FD_BASE 512

static int g_conn = -1;
static pid_t g_child_pid = -1;
/* The launch's options live as long as the process: the job's program reads its argv and
 * environment from them (sandq_job_argv, sandq_job_env). */
static struct config g_cfg;

/* The exit code goes to the caller, whichever way the launcher ends: return or die(). */
static void report_exit_code(int status, void *unused) {
  (void)unused;
  if (getpid() != g_child_pid || g_conn < 0)
    return;
  unsigned char code = (unsigned char)status;
  ssize_t n = write(g_conn, &code, 1);
  (void)n; /* the caller may be gone: then nobody is left to tell */
}

static void check_peer(int conn) {
  struct ucred peer;
  socklen_t len = sizeof peer;
  if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0)
    die_errno("getsockopt SO_PEERCRED on the caller's connection");
  if (peer.uid != getuid())
    die("the caller (pid %d) runs as uid %u, not as the zygote's uid %u", (int)peer.pid, (unsigned)peer.uid,
        (unsigned)getuid());
}

static void receive_request(int conn, int fds[ZYGOTE_FDS], struct zygote_request *header) {
  struct iovec iov = {.iov_base = header, .iov_len = sizeof *header};
  union {
    char buf[CMSG_SPACE(sizeof(int) * ZYGOTE_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
  ssize_t n;
  do {
    n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    die_errno("recvmsg the caller's request");
  if (n != (ssize_t)sizeof *header || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0)
    die("the caller's request is truncated (%zd bytes, flags 0x%x)", n, (unsigned)msg.msg_flags);
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int) * ZYGOTE_FDS))
    die("the caller's request does not carry its %d fds", ZYGOTE_FDS);
  memcpy(fds, CMSG_DATA(cmsg), sizeof(int) * ZYGOTE_FDS);
  if (header->argc < 2 || header->args_len == 0 || header->args_len > ZYGOTE_MAX_ARGS)
    die("the caller's request is malformed (argc %u, %u bytes of arguments)", header->argc, header->args_len);
}

/* The strings, each NUL-terminated, become a NULL-terminated argv that lives as long as the
 * process (the job's program reads it, see sandq_job_argv). */
static char **receive_argv(int conn, const struct zygote_request *header) {
  char *args = malloc(header->args_len);
  char **argv = calloc((size_t)header->argc + 1, sizeof *argv);
  if (args == NULL || argv == NULL)
    die("out of memory for the caller's arguments");
  if (!read_exactly(conn, args, header->args_len, "the caller's arguments"))
    die("the caller hung up before its arguments");
  if (args[header->args_len - 1] != '\0')
    die("the caller's arguments do not end with a NUL");
  size_t at = 0;
  for (uint32_t i = 0; i < header->argc; i++) {
    if (at >= header->args_len)
      die("the caller sent fewer arguments than its argc (%u)", header->argc);
    argv[i] = args + at;
    at += strlen(args + at) + 1;
  }
  if (at != header->args_len)
    die("the caller sent more arguments than its argc (%u)", header->argc);
  return argv;
}

/* Fds 0 to 2 become the caller's, the working directory its; every other fd the zygote left in
 * this process is closed, but the connection. */
static void take_the_callers_place(int *conn, int fds[ZYGOTE_FDS]) {
  *conn = move_fd_above(*conn, PARKED_FD_BASE, "the caller's connection");
  for (int i = 0; i < ZYGOTE_FDS; i++)
    fds[i] = move_fd_above(fds[i], PARKED_FD_BASE, "a received fd");
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (dup2(fds[fd], fd) < 0)
      die_errno("dup2 the caller's fd %d", fd);
  if (fchdir(fds[3]) < 0)
    die_errno("fchdir to the caller's working directory");
  for (int i = 0; i < ZYGOTE_FDS; i++)
    if (close(fds[i]) < 0)
      die_errno("close a received fd");
  /* The connection is the only fd left above 2. */
  if (*conn > 3 && syscall(SYS_close_range, 3u, (unsigned)*conn - 1, 0u) < 0)
    die_errno("close_range(3, %d)", *conn - 1);
  if (syscall(SYS_close_range, (unsigned)*conn + 1, ~0u, 0u) < 0)
    die_errno("close_range(%d, ~0)", *conn + 1);
}

int sandq_zygote_child(int conn);
void sandq_zygote_expect(char **options, char **env);
char *const *sandq_job_argv(void);
char *const *sandq_job_env(void);

/* What every launch handed to this zygote must run: the zygote's interpreter with its options,
 * then -c, in the zygote's environment. Set once by the zygote, before it forks. */
static char **g_expected_options;
static char **g_expected_env;

void sandq_zygote_expect(char **options, char **env) {
  g_expected_options = options;
  g_expected_env = env;
}

static bool in_list(char *const *list, const char *value) {
  for (size_t i = 0; list[i] != NULL; i++)
    if (strcmp(list[i], value) == 0)
      return true;
  return false;
}

/* Before anything is built: a launch the zygote's interpreter would not start the same way as
 * execve is refused as a setup error. */
static void zygote_check_launch(const struct config *cfg) {
  if (g_expected_options == NULL || g_expected_env == NULL)
    die("the zygote did not say what its launches must run (sandq_zygote_expect)");
  size_t i = 0;
  for (; g_expected_options[i] != NULL; i++)
    if (cfg->argv[i] == NULL || strcmp(cfg->argv[i], g_expected_options[i]) != 0)
      die("the program's argument %zu is '%s', not the zygote's '%s'", i, cfg->argv[i] == NULL ? "" : cfg->argv[i],
          g_expected_options[i]);
  if (cfg->argv[i] == NULL || strcmp(cfg->argv[i], "-c") != 0 || cfg->argv[i + 1] == NULL)
    die("the zygote runs only `%s ... -c PROGRAM`", g_expected_options[0]);
  size_t n_expected = 0;
  for (; g_expected_env[n_expected] != NULL; n_expected++)
    if (!in_list(cfg->env, g_expected_env[n_expected]))
      die("the launch's environment lacks the zygote's %s", g_expected_env[n_expected]);
  if (cfg->n_env != n_expected)
    die("the launch's environment has %zu variables, the zygote's %zu", cfg->n_env, n_expected);
}

int sandq_zygote_child(int conn) {
  g_child_pid = getpid();
  struct launch_caller caller = {.in_process = true, .hangup_fd = -1};
  if (prctl(PR_GET_NAME, caller.job_name, 0, 0, 0) < 0)
    die_errno("prctl PR_GET_NAME");
  name_process("sandq-launcher"); /* this child has the launcher's role */
  /* Back to the host's files (zygote_serve.c): the launch opens and binds host paths. */
  if (setns(ZYGOTE_HOST_NS_FD, CLONE_NEWNS) < 0)
    die_errno("setns to the host's mount namespace");
  /* Until the caller's stderr is in place, a failure has no status file to go to: the zygote's
   * stderr gets it, and the caller reports a lost child. */
  check_peer(conn);
  int fds[ZYGOTE_FDS];
  struct zygote_request header;
  receive_request(conn, fds, &header);
  char **argv = receive_argv(conn, &header);
  take_the_callers_place(&conn, fds);
  g_conn = conn;
  if (on_exit(report_exit_code, NULL) != 0)
    die("on_exit");
  int32_t pid = (int32_t)g_child_pid;
  write_all(conn, &pid, sizeof pid, "this child's pid to the caller");

  parse_options((int)header.argc, argv, &g_cfg);
  die_set_status_fd(g_cfg.status_fd);
  zygote_check_launch(&g_cfg);
  /* Named after this child, not the caller (which is the worker's JVM itself, without a stub). */
  caller.pid = g_child_pid;
  caller.hangup_fd = conn;
  int code = launch(&g_cfg, &caller);
  if (code == LAUNCHER_JOB_CONTINUES)
    return 0;
  /* Not exit(): the libraries the interpreter loaded registered exit handlers in the zygote
   * (OpenSSL's cleanup, which frees its tables) that would only write, and so copy, pages of
   * the zygote's memory. Ours have nothing left to do once launch() has returned (the job's init
   * is reaped, its cgroup removed): the caller's exit code is all. A die() on the way still exits
   * through every handler. */
  report_exit_code(code, NULL);
  _exit(code);
}

/* In the job, for the interpreter that continues it: the program's argv and its environment, as
 * execve would have given them. */
char *const *sandq_job_argv(void) { return g_cfg.argv; }
char *const *sandq_job_env(void) { return g_cfg.env; }

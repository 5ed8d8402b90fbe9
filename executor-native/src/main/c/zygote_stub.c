/* The launcher's stand-in when a job is handed to a zygote (sandq-launcher --zygote SOCKET
 * OPTIONS -- PROGRAM...): a warm interpreter that forks, and whose child runs the launch itself
 * (zygote_child.c) and, in the job, continues as the job's program without an execve.
 *
 * The stub sends its argv (without --zygote SOCKET) and its stdin, stdout, stderr and working
 * directory, lets go of the caller's pipes at once (the zygote's child holds them now: their end
 * of file is still the end of the job), forwards SIGTERM, SIGINT and SIGHUP to the zygote's child,
 * and exits with its exit code. If the stub is killed, the zygote's child sees the connection
 * hang up and terminates the job, as the launcher would on SIGTERM. */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "die.h"
#include "io.h"
#include "signals.h"

/* The zygote's child refused the launch (another uid, say: its reason is in the zygote's log). */
static __attribute__((noreturn)) void die_refused(void) {
  die("the zygote closed the connection before forking for this launch");
}

static int connect_zygote(const char *path) {
  struct sockaddr_un addr;
  int fd = zygote_socket(path, "--zygote", &addr);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
    die_errno("connect the zygote at %s", path);
  return fd;
}

static void send_request(int conn, int argc, char **argv) {
  int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cwd < 0)
    die_errno("open the working directory");
  int fds[ZYGOTE_FDS] = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO, cwd};
  size_t args_len;
  char *args = zygote_pack_args(argc, argv, &args_len);
  if (args == NULL)
    die("out of memory for the arguments");
  if (zygote_send_request(conn, (uint32_t)argc, args, args_len, fds) < 0) {
    if (errno == EPIPE || errno == ECONNRESET)
      die_refused();
    if (errno == EMSGSIZE)
      die_usage("the arguments are too long for the zygote (max %d bytes)", ZYGOTE_MAX_ARGS);
    die_errno("send the request to the zygote");
  }
  free(args);
  if (close(cwd) < 0)
    die_errno("close the working directory");
}

static void release_caller_pipes(void) {
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0)
    die_errno("open /dev/null to release the caller's pipes");
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (dup2(null_fd, fd) < 0)
      die_errno("dup2 /dev/null over fd %d", fd);
  if (close(null_fd) < 0)
    die_errno("close /dev/null");
}

static void forward_signals(int signal_fd, pid_t child) {
  for (int signo; (signo = next_signal(signal_fd)) != 0;)
    if (kill(child, signo) < 0 && errno != ESRCH)
      die_errno("forward signal %d to the zygote's child (pid %d)", signo, (int)child);
}

int zygote_stub_main(int argc, char **argv) {
  if (argc < 4)
    die_usage("--zygote needs SOCKET, then the launcher's options");
  const char *socket_path = argv[2];
  static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP};
  int signal_fd = block_to_signalfd(forwarded, 3, "SIGTERM/SIGINT/SIGHUP");
  int conn = connect_zygote(socket_path);

  /* The launcher's argv as the zygote's child parses it: this program, then what follows SOCKET. */
  argv[2] = argv[0];
  send_request(conn, argc - 2, argv + 2);
  int32_t child;
  if (!read_exactly(conn, &child, sizeof child, "the pid of the zygote's child"))
    die_refused();
  if (child <= 0)
    die("the zygote sent an invalid pid: %d", (int)child);
  release_caller_pipes();

  for (;;) {
    struct pollfd pfds[2] = {{.fd = signal_fd, .events = POLLIN}, {.fd = conn, .events = POLLIN}};
    if (poll(pfds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      die_errno("poll the zygote connection");
    }
    if (pfds[0].revents != 0)
      forward_signals(signal_fd, child);
    if (pfds[1].revents != 0) {
      unsigned char code;
      return read_exactly(conn, &code, 1, "the exit code of the zygote's child") ? code : ZYGOTE_CHILD_LOST;
    }
  }
}

/* The worker's own side of a zygote launch (ZYGOTE.md), in its process: libsandq-launcher.so's
 * entries for the JVM (ZygoteProcess, through JNA). They do what the stub (zygote_stub.c) does,
 * without a process of the stub's per job: spawning one from the JVM cost more CPU than the rest
 * of the launcher's side of a job (the JVM's child closing its ~200 fds one by one, an execve,
 * a reaper thread's wait).
 *
 * These run in the JVM: nothing here exits, signals, or leaves an fd behind on failure. Every
 * failure is returned, with a message that names the step. */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "io.h"

/* What sandq_zygote_launch hands back, in this order. */
enum { OUT_CONNECTION, OUT_CHILD_PID, OUT_STDIN, OUT_STDOUT, OUT_STDERR, OUT_COUNT };

int sandq_zygote_launch(const char *socket_path, int argc, const char *args, int args_len, int32_t out[OUT_COUNT],
                        char *error, int error_size);
int sandq_zygote_wait_exit(int connection);

static void close_if_open(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

__attribute__((format(printf, 3, 4))) static void describe(char *error, int size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(error, (size_t)size, format, args);
  va_end(args);
}

/* Connects to the zygote listening at socket_path and hands it the launch: args holds the
 * launcher's own argv (its path, its options, --, the program), argc strings each ending with a
 * NUL, args_len bytes in all; with three new pipes for the launch's
 * stdin, stdout and stderr and this process's working directory. On success, 0 and in out: the
 * connection (the child's exit code comes on it: sandq_zygote_wait_exit; closing it terminates
 * the job, as the stub's death does), the pid of the zygote's child (the launcher's role: the
 * job's cgroup is named after it; SIGTERM to it terminates the job), and this process's ends of
 * the pipes. Every fd is close-on-exec. -1 on failure, with the reason in error. */
int sandq_zygote_launch(const char *socket_path, int argc, const char *args, int args_len, int32_t out[OUT_COUNT],
                        char *error, int error_size) {
  int conn = -1, cwd = -1;
  int in[2] = {-1, -1}, stdout_pipe[2] = {-1, -1}, stderr_pipe[2] = {-1, -1};
  const char *step;
  struct sockaddr_un addr;
  if (argc < 0 || args_len <= 0 || args[args_len - 1] != '\0') {
    describe(error, error_size, "the launch's arguments are malformed (%d strings, %d bytes)", argc, args_len);
    return -1;
  }
  if (!zygote_address(socket_path, &addr)) {
    describe(error, error_size, "the zygote's socket path is too long: %s", socket_path);
    return -1;
  }
  step = "socket for the zygote";
  if ((conn = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
    goto failed;
  step = "connect the zygote";
  if (connect(conn, (struct sockaddr *)&addr, sizeof addr) < 0)
    goto failed;
  step = "pipe2 for the launch's stdin, stdout and stderr";
  if (pipe2(in, O_CLOEXEC) < 0 || pipe2(stdout_pipe, O_CLOEXEC) < 0 || pipe2(stderr_pipe, O_CLOEXEC) < 0)
    goto failed;
  step = "open the working directory";
  if ((cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
    goto failed;
  int fds[ZYGOTE_FDS] = {in[0], stdout_pipe[1], stderr_pipe[1], cwd};
  step = "send the request to the zygote";
  if (zygote_send_request(conn, (uint32_t)argc, args, (size_t)args_len, fds) < 0)
    goto failed;
  /* The zygote's child holds them now: their end of file is the end of the job. */
  close_if_open(&in[0]);
  close_if_open(&stdout_pipe[1]);
  close_if_open(&stderr_pipe[1]);
  close_if_open(&cwd);
  int32_t child;
  step = "read the pid of the zygote's child";
  int result = try_read_exactly(conn, &child, sizeof child);
  if (result < 0)
    goto failed;
  if (result == 0) {
    describe(error, error_size, "the zygote closed the connection before forking for this launch");
    goto cleanup;
  }
  if (child <= 0) {
    describe(error, error_size, "the zygote sent an invalid pid: %d", (int)child);
    goto cleanup;
  }
  out[OUT_CONNECTION] = conn;
  out[OUT_CHILD_PID] = child;
  out[OUT_STDIN] = in[1];
  out[OUT_STDOUT] = stdout_pipe[0];
  out[OUT_STDERR] = stderr_pipe[0];
  return 0;

failed:
  describe(error, error_size, "%s: %s", step, strerror(errno));
cleanup:
  close_if_open(&conn);
  close_if_open(&cwd);
  for (int i = 0; i < 2; i++) {
    close_if_open(&in[i]);
    close_if_open(&stdout_pipe[i]);
    close_if_open(&stderr_pipe[i]);
  }
  return -1;
}

/* Blocks until the zygote's child has ended: its exit code (0 to 255), ZYGOTE_CHILD_LOST when it
 * ended without sending one, -1 with errno when the connection cannot be read. Closes nothing. */
int sandq_zygote_wait_exit(int connection) {
  unsigned char code;
  int result = try_read_exactly(connection, &code, 1);
  if (result < 0)
    return -1;
  return result == 0 ? ZYGOTE_CHILD_LOST : code;
}

/* Warm Python jobs (executor-native/ZYGOTE.md): a launch handed to a warm interpreter, a zygote,
 * over a unix socket. The stub (zygote_stub.c) sends its argv, and its stdin, stdout, stderr and
 * working directory as fds; the zygote's child (zygote_child.c) answers with its pid, runs the
 * launch, and ends with one byte: its exit code. The zygote itself is started by
 * --zygote-serve (zygote_serve.c). */
#ifndef SANDQ_ZYGOTE_H
#define SANDQ_ZYGOTE_H

#include <stdint.h>

#include "options.h"

#define ZYGOTE_FDS 4
#define ZYGOTE_MAX_ARGS (64 * 1024)
struct zygote_request {
  uint32_t argc;
  uint32_t args_len; /* argv strings, each NUL-terminated, follow the header */
};

/* The zygote sees the files as a job does: it is exec'ed in a mount namespace of its own with the
 * job's root, its listening socket on fd ZYGOTE_LISTEN_FD and the host's mount namespace on fd
 * ZYGOTE_HOST_NS_FD, which its children go back to (to build the jobs' roots from the host's
 * files). Root only: no user namespace. */
#define ZYGOTE_LISTEN_FD 3
#define ZYGOTE_HOST_NS_FD 4

struct sockaddr_un;
/* A unix stream socket (close-on-exec) and its address for path, given with option (zygote.c). */
int zygote_socket(const char *path, const char *option, struct sockaddr_un *addr);

/* sandq-launcher --zygote SOCKET OPTIONS -- PROGRAM...: the stub (zygote_stub.c). */
int zygote_stub_main(int argc, char **argv);
/* --zygote-serve SOCKET: execs the zygote (zygote_serve.c). */
__attribute__((noreturn)) void zygote_serve(const struct config *cfg);

#endif

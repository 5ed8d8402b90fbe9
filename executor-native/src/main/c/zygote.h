/* Warm Python jobs (executor-native/ZYGOTE.md): a launch handed to a warm interpreter, a zygote,
 * over a unix socket. The caller (the stub, zygote_stub.c, or the worker itself through
 * zygote_client.c) sends the launcher's argv, and the launch's stdin, stdout, stderr and working
 * directory as fds; the zygote's child (zygote_child.c) answers with its pid, runs the launch,
 * and ends with one byte: its exit code. The zygote itself is started by --zygote-serve
 * (zygote_serve.c). */
#ifndef SANDQ_ZYGOTE_H
#define SANDQ_ZYGOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"

#define ZYGOTE_FDS 4 /* stdin, stdout, stderr, working directory */
/* The caller's exit code for a zygote's child that ended without sending its own: it crashed, or
 * was killed. */
#define ZYGOTE_CHILD_LOST 125
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
/* The socket address for path; false when the path is too long for one (zygote.c). */
bool zygote_address(const char *path, struct sockaddr_un *addr);
/* A unix stream socket (close-on-exec) and its address for path, given with option; fatal on
 * failure (zygote.c). */
int zygote_socket(const char *path, const char *option, struct sockaddr_un *addr);
/* argv's argc strings, each NUL-terminated, back to back (as a request carries them), in a
 * malloc'ed buffer, their total length in len; NULL when out of memory (zygote.c). */
char *zygote_pack_args(int argc, char *const *argv, size_t *len);
/* Sends the request for a launch: the header, fds (ZYGOTE_FDS of them) and args, argc strings
 * packed as zygote_pack_args packs them (the launcher's path, its options, --, the program). 0, or
 * -1 with errno: EMSGSIZE when they are too long (ZYGOTE_MAX_ARGS) or too few, EPIPE or
 * ECONNRESET when the zygote closed the connection. Never fatal (zygote.c). */
int zygote_send_request(int conn, uint32_t argc, const char *args, size_t args_len, const int fds[ZYGOTE_FDS]);

/* sandq-launcher --zygote SOCKET OPTIONS -- PROGRAM...: the stub (zygote_stub.c). */
int zygote_stub_main(int argc, char **argv);
/* --zygote-serve SOCKET: execs the zygote (zygote_serve.c). */
__attribute__((noreturn)) void zygote_serve(const struct config *cfg);

#endif

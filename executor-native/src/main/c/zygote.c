/* The zygote's protocol as its two callers (the stub, zygote_stub.c, and the worker's in-process
 * client, zygote_client.c) and its server (zygote_serve.c) share it (zygote.h): the socket's
 * address, and the request that hands over a launch. */
#include "zygote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "die.h"

bool zygote_address(const char *path, struct sockaddr_un *addr) {
  *addr = (struct sockaddr_un){.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr->sun_path)
    return false;
  strcpy(addr->sun_path, path);
  return true;
}

int zygote_socket(const char *path, const char *option, struct sockaddr_un *addr) {
  if (!zygote_address(path, addr))
    die_usage("%s socket path is too long: %s", option, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    die_errno("socket for the zygote");
  return fd;
}

static int send_all(int conn, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = send(conn, p, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

char *zygote_pack_args(int argc, char *const *argv, size_t *len) {
  size_t total = 0;
  for (int i = 0; i < argc; i++)
    total += strlen(argv[i]) + 1;
  char *args = malloc(total == 0 ? 1 : total);
  if (args == NULL)
    return NULL;
  size_t at = 0;
  for (int i = 0; i < argc; i++) {
    size_t n = strlen(argv[i]) + 1;
    memcpy(args + at, argv[i], n);
    at += n;
  }
  *len = total;
  return args;
}

int zygote_send_request(int conn, uint32_t argc, const char *args, size_t args_len, const int fds[ZYGOTE_FDS]) {
  if (argc < 2 || args_len > ZYGOTE_MAX_ARGS) {
    errno = EMSGSIZE;
    return -1;
  }
  /* One sendmsg for the header, the fds and every string: a send per string cost a socket buffer
   * each, about a hundred per launch. */
  struct zygote_request header = {.argc = argc, .args_len = (uint32_t)args_len};
  struct iovec iov[2] = {{.iov_base = &header, .iov_len = sizeof header},
                         {.iov_base = (void *)args, .iov_len = args_len}};
  union {
    char buf[CMSG_SPACE(sizeof(int) * ZYGOTE_FDS)];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2, .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int) * ZYGOTE_FDS);
  memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * ZYGOTE_FDS);
  ssize_t n;
  do {
    n = sendmsg(conn, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  if (n < (ssize_t)sizeof header) {
    errno = EPROTO; /* a unix stream socket sends a header this small whole, or not at all */
    return -1;
  }
  /* What a signal may have left unsent. */
  size_t sent = (size_t)n - sizeof header;
  return send_all(conn, args + sent, args_len - sent);
}

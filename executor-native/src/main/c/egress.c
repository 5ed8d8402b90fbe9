/*
 * Egress: the job's only way out when it has the network (--egress-socket).
 *
 * The job keeps its own network namespace, which holds nothing but a loopback interface. init
 * brings `lo` up, listens on 127.0.0.1:3128 and forks the relay; the relay accepts each TCP
 * connection there and joins it, byte for byte, to a new connection to the worker's egress
 * proxy, whose UNIX socket is bound into the new root at /run/sandq/egress.sock. The proxy (Java,
 * outside the sandbox) decides where a connection may go; the relay only copies bytes and never
 * parses them. A job that connects to the socket itself reaches the same proxy and policy.
 *
 * The relay runs as the job's uid with no capabilities and PR_SET_NO_NEW_PRIVS, holds no fd of
 * the launcher's, and ends with the PID namespace: when the job's main process ends, init exits
 * and the kernel kills every process left, the relay included. It counts as one of the job's
 * processes (and its buffers as the job's memory).
 */
#include "egress.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "credentials.h"
#include "die.h"
#include "options.h"
#include "process_name.h"

/* Where the relay listens for the job: 127.0.0.1 in the job's own network namespace. */
#define EGRESS_PORT 3128
#define RELAY_MAX_LINKS 64
#define RELAY_BUFFER 16384
#define LISTEN_BACKLOG 64

/* Bytes read from one side, waiting to be written to the other. */
struct half {
  char buf[RELAY_BUFFER];
  size_t len, off;
  bool eof;        /* the source said it will send no more */
  bool shut_down;  /* ... and the destination has been told (shutdown SHUT_WR) */
};

/* One job connection joined to one proxy connection. */
struct link {
  int job;   /* accepted TCP connection from the job */
  int proxy; /* UNIX connection to the egress proxy */
  struct half to_proxy, to_job;
};

static void bring_loopback_up(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    die_errno("socket(AF_INET, SOCK_DGRAM) to configure lo");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, "lo", sizeof "lo");
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
    die_errno("ioctl SIOCGIFFLAGS lo");
  ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
  if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
    die_errno("ioctl SIOCSIFFLAGS lo up");
  if (close(fd) < 0)
    die_errno("close the lo configuration socket");
}

static int listen_on_loopback(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    die_errno("socket(AF_INET, SOCK_STREAM) for the egress relay");
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
    die_errno("setsockopt SO_REUSEADDR on the egress relay socket");
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(EGRESS_PORT),
                             .sin_addr = {.s_addr = htonl(INADDR_LOOPBACK)}};
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
    die_errno("bind the egress relay to 127.0.0.1:%d", EGRESS_PORT);
  if (listen(fd, LISTEN_BACKLOG) < 0)
    die_errno("listen on 127.0.0.1:%d", EGRESS_PORT);
  return fd;
}

/* A new connection to the proxy, or -1 when it refuses (the job's connection is then dropped). */
static int connect_to_proxy(void) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -1;
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  memcpy(addr.sun_path, EGRESS_SOCKET_INSIDE, sizeof EGRESS_SOCKET_INSIDE);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static void close_link(struct link **slot) {
  close((*slot)->job);
  close((*slot)->proxy);
  free(*slot);
  *slot = NULL;
}

static bool half_done(const struct half *h) { return h->eof && h->off == h->len; }

/* Reads into an empty half. Returns false when the link must be dropped (an error). */
static bool fill(int from, struct half *h) {
  ssize_t n = recv(from, h->buf, sizeof h->buf, 0);
  if (n < 0)
    return errno == EAGAIN || errno == EINTR;
  if (n == 0)
    h->eof = true;
  h->len = (size_t)n;
  h->off = 0;
  return true;
}

/* Writes what a half holds; tells the destination once the source has ended. */
static bool drain(int to, struct half *h) {
  if (h->off < h->len) {
    ssize_t n = send(to, h->buf + h->off, h->len - h->off, MSG_NOSIGNAL);
    if (n < 0)
      return errno == EAGAIN || errno == EINTR;
    h->off += (size_t)n;
    if (h->off == h->len)
      h->off = h->len = 0;
  }
  if (h->eof && h->len == 0 && !h->shut_down) {
    h->shut_down = true;
    if (shutdown(to, SHUT_WR) < 0 && errno != ENOTCONN)
      return false;
  }
  return true;
}

/* What one side of a link waits for: room to read into (its outgoing half is empty), or to
 * write what the other side sent. */
static short wanted(const struct half *outgoing, const struct half *incoming) {
  short events = 0;
  if (!outgoing->eof && outgoing->len == 0)
    events |= POLLIN;
  if (incoming->off < incoming->len)
    events |= POLLOUT;
  return events;
}

/* Acts on what poll said about one side of a link; false when the link must be dropped. */
static bool step(int fd, short revents, struct half *outgoing, int peer, struct half *incoming) {
  if (revents & (POLLERR | POLLNVAL))
    return false;
  if ((revents & (POLLIN | POLLHUP)) && !outgoing->eof && outgoing->len == 0) {
    if (!fill(fd, outgoing) || !drain(peer, outgoing))
      return false;
  }
  if ((revents & (POLLOUT | POLLHUP)) && incoming->off < incoming->len)
    return drain(fd, incoming);
  return true;
}

/* A side with nothing to wait for is left out of poll (fd -1), so that a hang-up it cannot act
 * on does not wake the relay again and again. */
static struct pollfd watch(int fd, short events) {
  return (struct pollfd){.fd = events != 0 ? fd : -1, .events = events};
}

static void accept_one(int listener, struct link **links, size_t *n_links) {
  int job = accept4(listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (job < 0) {
    if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE ||
        errno == ENOBUFS || errno == ENOMEM)
      return; /* transient; the listener is polled again (and not at all while the table is full) */
    die_errno("accept on 127.0.0.1:%d", EGRESS_PORT);
  }
  int proxy = connect_to_proxy();
  if (proxy < 0) {
    close(job);
    return;
  }
  for (size_t i = 0; i < RELAY_MAX_LINKS; i++) {
    if (links[i] == NULL) {
      links[i] = calloc(1, sizeof *links[i]);
      if (links[i] == NULL) {
        close(job);
        close(proxy);
        return;
      }
      links[i]->job = job;
      links[i]->proxy = proxy;
      (*n_links)++;
      return;
    }
  }
  close(job); /* cannot happen: the listener is not polled while the table is full */
  close(proxy);
}

static __attribute__((noreturn)) void relay_loop(int listener) {
  static struct link *links[RELAY_MAX_LINKS];
  size_t n_links = 0;
  for (;;) {
    struct pollfd pfds[1 + 2 * RELAY_MAX_LINKS];
    size_t index[1 + 2 * RELAY_MAX_LINKS]; /* which link a pollfd belongs to */
    nfds_t n = 0;
    pfds[n++] = (struct pollfd){.fd = n_links < RELAY_MAX_LINKS ? listener : -1, .events = POLLIN};
    for (size_t i = 0; i < RELAY_MAX_LINKS; i++) {
      struct link *l = links[i];
      if (l == NULL)
        continue;
      index[n] = i;
      pfds[n++] = watch(l->job, wanted(&l->to_proxy, &l->to_job));
      index[n] = i;
      pfds[n++] = watch(l->proxy, wanted(&l->to_job, &l->to_proxy));
    }
    if (poll(pfds, n, -1) < 0) {
      if (errno == EINTR)
        continue;
      die_errno("poll in the egress relay");
    }
    for (nfds_t k = 1; k < n; k += 2) {
      struct link **slot = &links[index[k]];
      struct link *l = *slot;
      bool ok = step(l->job, pfds[k].revents, &l->to_proxy, l->proxy, &l->to_job) &&
                step(l->proxy, pfds[k + 1].revents, &l->to_job, l->job, &l->to_proxy);
      if (!ok || (half_done(&l->to_proxy) && half_done(&l->to_job))) {
        close_link(slot);
        n_links--;
      }
    }
    if (pfds[0].revents & POLLIN)
      accept_one(listener, links, &n_links);
  }
}

static void redirect_to_dev_null(int fd) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    die_errno("open /dev/null for the egress relay");
  if (dup2(null, fd) < 0)
    die_errno("dup2 /dev/null to fd %d", fd);
  if (close(null) < 0)
    die_errno("close /dev/null");
}

static __attribute__((noreturn)) void run_relay(const struct config *cfg, int listener) {
  name_process("sandq-relay");
  /* Keep only stderr (the job's, for a failure after setup) and the listener, as fd 3. */
  redirect_to_dev_null(0);
  redirect_to_dev_null(1);
  if (listener != 3) {
    if (dup3(listener, 3, O_CLOEXEC) < 0)
      die_errno("dup3 the egress relay socket to fd 3");
  }
  drop_privileges(cfg);
  forbid_new_privileges();
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    die_errno("prctl PR_SET_DUMPABLE for the egress relay");
  /* Setup is over: from here a failure is the relay's, reported on stderr, not a setup error.
   * (Closing the error pipe below with the rest.) */
  die_set_error_pipe(-1);
  if (syscall(SYS_close_range, 4u, ~0u, 0u) < 0)
    die_errno("close_range(4, ~0) in the egress relay");
  relay_loop(3);
}

void egress_start(const struct config *cfg) {
  struct stat st;
  if (stat(EGRESS_SOCKET_INSIDE, &st) < 0)
    die_errno("stat %s", EGRESS_SOCKET_INSIDE);
  if (!S_ISSOCK(st.st_mode))
    die("%s (from --egress-socket %s) is not a socket", EGRESS_SOCKET_INSIDE, cfg->egress_socket);
  bring_loopback_up();
  int listener = listen_on_loopback();
  pid_t relay = fork();
  if (relay < 0)
    die_errno("fork the egress relay");
  if (relay == 0)
    run_relay(cfg, listener);
  if (close(listener) < 0)
    die_errno("close the egress relay socket in init");
}

/* What the zygote's stub and the zygote's server share (zygote.h): the socket. */
#include "zygote.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "die.h"

int zygote_socket(const char *path, const char *option, struct sockaddr_un *addr) {
  *addr = (struct sockaddr_un){.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr->sun_path)
    die_usage("%s socket path is too long: %s", option, path);
  strcpy(addr->sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    die_errno("socket for the zygote");
  return fd;
}

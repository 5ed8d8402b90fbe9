/* Seccomp: the Java side compiles the policy with libseccomp; here the raw BPF program is read
 * and installed, last before execve. */
#include "seccomp.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "die.h"
#include "io.h"

void load_seccomp_program(int fd, struct bpf_program_bytes *prog) {
  char *data;
  size_t len;
  read_all_fd(fd, &data, &len, "seccomp program");
  if (close(fd) < 0)
    die_errno("close seccomp fd");
  if (len == 0 || len % sizeof(struct sock_filter) != 0)
    die("seccomp program has %zu bytes, not a non-empty multiple of %zu", len, sizeof(struct sock_filter));
  if (len / sizeof(struct sock_filter) > BPF_MAXINSNS)
    die("seccomp program has %zu instructions, more than %d", len / sizeof(struct sock_filter), BPF_MAXINSNS);
  prog->bytes = (unsigned char *)data;
  prog->len = len;
}

void install_seccomp(const struct bpf_program_bytes *prog) {
  struct sock_fprog fprog = {
      .len = (unsigned short)(prog->len / sizeof(struct sock_filter)),
      .filter = (struct sock_filter *)prog->bytes,
  };
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
    die_errno("install seccomp filter (%u instructions)", fprog.len);
}

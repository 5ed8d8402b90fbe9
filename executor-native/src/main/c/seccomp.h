/* Seccomp: the BPF program the Java side compiled, read at start and installed last. */
#ifndef SANDQ_SECCOMP_H
#define SANDQ_SECCOMP_H

#include <stddef.h>

/* A loaded seccomp program (struct sock_filter array). */
struct bpf_program_bytes {
  unsigned char *bytes;
  size_t len;
};

/* Reads and checks the program on fd, then closes fd. */
void load_seccomp_program(int fd, struct bpf_program_bytes *prog);
void install_seccomp(const struct bpf_program_bytes *prog);

#endif

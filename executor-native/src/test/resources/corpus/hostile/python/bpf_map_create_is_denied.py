# expect: syscall_denied
# stdout: calling bpf(BPF_MAP_CREATE)
# bpf(2): the verifier and JIT are a large kernel attack surface (many privilege-escalation CVEs).
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling bpf(BPF_MAP_CREATE)", flush=True)
r = libc.syscall(L(321), L(0), (ctypes.c_uint32 * 16)(2, 4, 4, 1), L(64))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

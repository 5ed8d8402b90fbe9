# expect: syscall_denied
# stdout: calling setuid(0)
# The job runs as its slot uid for good; no interpreter needs to change it, so the call is not on the allowlist at all.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling setuid(0)", flush=True)
r = libc.syscall(L(105), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling memfd_create
# memfd_create + execveat runs a binary that never touched a file system: no interpreter needs it.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling memfd_create", flush=True)
r = libc.syscall(L(319), b"payload", L(1))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

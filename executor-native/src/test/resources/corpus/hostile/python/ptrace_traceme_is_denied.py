# expect: syscall_denied
# stdout: calling ptrace(PTRACE_TRACEME)
# PTRACE_TRACEME is how a job would set itself up to be traced (and a classic route around seccomp on old kernels).
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling ptrace(PTRACE_TRACEME)", flush=True)
r = libc.syscall(L(101), L(0), L(0), None, None)
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

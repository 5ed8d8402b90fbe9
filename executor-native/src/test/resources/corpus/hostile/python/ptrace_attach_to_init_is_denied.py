# expect: syscall_denied
# stdout: calling ptrace(PTRACE_ATTACH, 1)
# ptrace(2) reads and writes other processes' memory and registers; the job never needs it.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling ptrace(PTRACE_ATTACH, 1)", flush=True)
r = libc.syscall(L(101), L(16), L(1), None, None)
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

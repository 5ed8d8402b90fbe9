# expect: syscall_denied
# stdout: calling clone(CLONE_NEWUSER|CLONE_NEWNET|SIGCHLD)
# clone(2) is allowed for threads and fork, but its namespace flags must be checked.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling clone(CLONE_NEWUSER|CLONE_NEWNET|SIGCHLD)", flush=True)
r = libc.syscall(L(56), L(0x10000000 | 0x40000000 | 17), None, None, None, L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

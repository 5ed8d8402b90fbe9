# expect: syscall_denied
# stdout: calling unshare(CLONE_NEWUSER|CLONE_NEWNS)
# A new user namespace hands the job a full set of capabilities over fresh namespaces: the door to most container escapes.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling unshare(CLONE_NEWUSER|CLONE_NEWNS)", flush=True)
r = libc.syscall(L(272), L(0x10000000 | 0x00020000))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

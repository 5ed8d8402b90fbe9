# expect: syscall_denied
# stdout: calling add_key(user, sandq)
# add_key(2) stores data in a kernel keyring that outlives the job.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling add_key(user, sandq)", flush=True)
r = libc.syscall(L(248), b"user", b"sandq", b"secret", L(6), L(-3))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

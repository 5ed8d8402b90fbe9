# expect: syscall_denied
# stdout: calling syscall(1023)
# A number no kernel knows: the allowlist's default action applies, not ENOSYS.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling syscall(1023)", flush=True)
r = libc.syscall(L(1023))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling io_uring_setup(8)
# io_uring: bypasses seccomp for the operations it performs and is a large attack surface (disabled by Google and Docker). Neither interpreter needs it (libuv in Node 20 leaves it off).
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling io_uring_setup(8)", flush=True)
r = libc.syscall(L(425), L(8), (ctypes.c_uint8 * 120)())
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

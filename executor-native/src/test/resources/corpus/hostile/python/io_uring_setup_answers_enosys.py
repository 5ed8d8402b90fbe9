# expect: error
# stdout: calling io_uring_setup(8)
# stdout: came back: -1 Function not implemented
# io_uring: bypasses seccomp for the operations it performs and is a large attack surface (disabled by Google and Docker). Neither interpreter needs it (libuv in Node 20 leaves it off).
# The policy answers ENOSYS rather than killing: io_uring is an optional kernel feature that
# runtimes probe for (libuv does) and must be able to find "absent". The ring is never created;
# the program then exits non-zero.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling io_uring_setup(8)", flush=True)
r = libc.syscall(L(425), L(8), (ctypes.c_uint8 * 120)())
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

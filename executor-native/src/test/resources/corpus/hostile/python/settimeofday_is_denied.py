# expect: syscall_denied
# stdout: calling settimeofday(epoch)
# The clock is the host's (there is no time namespace here): setting it would affect every process.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling settimeofday(epoch)", flush=True)
r = libc.syscall(L(164), (ctypes.c_long * 2)(0, 0), None)
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

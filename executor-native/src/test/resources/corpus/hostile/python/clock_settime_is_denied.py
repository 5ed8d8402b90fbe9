# expect: syscall_denied
# stdout: calling clock_settime(CLOCK_REALTIME, epoch)
# The other way to set the host's clock.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling clock_settime(CLOCK_REALTIME, epoch)", flush=True)
r = libc.syscall(L(227), L(0), (ctypes.c_long * 2)(0, 0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

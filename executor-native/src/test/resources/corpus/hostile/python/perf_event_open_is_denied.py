# expect: syscall_denied
# stdout: calling perf_event_open(cpu clock)
# perf_event_open(2): hardware counters, side channels and a long CVE history.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling perf_event_open(cpu clock)", flush=True)
r = libc.syscall(L(298), (ctypes.c_uint32 * 32)(1, 112), L(0), L(-1), L(-1), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling userfaultfd(0)
# userfaultfd(2) lets a job stall the kernel mid-copy: the standard tool to widen race windows in exploits.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling userfaultfd(0)", flush=True)
r = libc.syscall(L(323), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

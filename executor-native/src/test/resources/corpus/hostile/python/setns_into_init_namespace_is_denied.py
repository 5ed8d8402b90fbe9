# expect: syscall_denied
# stdout: calling setns(/proc/self/ns/mnt)
# setns(2) joins another namespace; with an fd to one of the host's it would leave the sandbox.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling setns(/proc/self/ns/mnt)", flush=True)
r = libc.syscall(L(308), L(os.open("/proc/self/ns/mnt", os.O_RDONLY) if os.path.exists("/proc/self/ns/mnt") else 0), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

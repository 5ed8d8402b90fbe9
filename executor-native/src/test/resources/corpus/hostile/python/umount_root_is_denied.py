# expect: syscall_denied
# stdout: calling umount2(/, MNT_DETACH)
# umount2(2) could uncover what lies under the sandbox's mounts.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling umount2(/, MNT_DETACH)", flush=True)
r = libc.syscall(L(166), b"/", L(2))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

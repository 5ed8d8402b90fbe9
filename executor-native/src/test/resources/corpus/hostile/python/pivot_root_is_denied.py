# expect: syscall_denied
# stdout: calling pivot_root(/tmp, /tmp/old)
# pivot_root(2) swaps the root mount; the job must not rearrange its root.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling pivot_root(/tmp, /tmp/old)", flush=True)
r = (os.makedirs("/tmp/old", exist_ok=True), libc.syscall(L(155), b"/tmp", b"/tmp/old"))[1]
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

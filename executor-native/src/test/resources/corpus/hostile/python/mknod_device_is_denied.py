# expect: syscall_denied
# stdout: calling mknod(/tmp/mem, char 1:1)
# mknod(2) of a device node (/dev/mem is 1:1); /tmp is nodev, but the call itself has no use here.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling mknod(/tmp/mem, char 1:1)", flush=True)
r = libc.syscall(L(133), b"/tmp/mem", L(0o20666), L((1 << 8) | 1))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

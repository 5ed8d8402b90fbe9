# expect: syscall_denied
# stdout: calling ioctl(0, 0x1_0000_5412)
# TIOCSTI with high bits set in the 64-bit argument: the kernel only looks at the low 32 bits, so the filter must too (the issue asks for exactly this masking).
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling ioctl(0, 0x1_0000_5412)", flush=True)
r = libc.syscall(L(16), L(0), L(0x100005412), b"x")
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

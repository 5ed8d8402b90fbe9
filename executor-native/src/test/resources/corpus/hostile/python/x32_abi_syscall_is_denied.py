# expect: syscall_denied
# stdout: calling getpid via the x32 ABI (0x40000000|39)
# Non-native syscall ABIs must be denied: x32 numbers (bit 30 set) reach the same kernel code under different numbers.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling getpid via the x32 ABI (0x40000000|39)", flush=True)
r = libc.syscall(L(0x40000000 | 39))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling personality(ADDR_NO_RANDOMIZE)
# Turning ASLR off for what the job runs next helps exploits; only the query personality(0xffffffff) is harmless.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling personality(ADDR_NO_RANDOMIZE)", flush=True)
r = libc.syscall(L(135), L(0x0040000))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

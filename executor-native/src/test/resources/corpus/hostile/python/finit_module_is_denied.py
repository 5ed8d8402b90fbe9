# expect: syscall_denied
# stdout: calling finit_module
# finit_module(2) loads a kernel module from an fd.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling finit_module", flush=True)
r = libc.syscall(L(313), L(os.open("/sandbox/main.py", os.O_RDONLY)), b"", L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

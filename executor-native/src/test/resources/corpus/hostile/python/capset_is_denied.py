# expect: syscall_denied
# stdout: calling capset(all)
# capset(2): the job has and needs no capabilities.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling capset(all)", flush=True)
r = libc.syscall(L(126), (ctypes.c_uint32 * 2)(0x20080522, 0), (ctypes.c_uint32 * 6)(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling process_vm_readv(1)
# process_vm_readv(2) reads another process's memory without ptrace.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling process_vm_readv(1)", flush=True)
r = libc.syscall(L(310), L(1), (ctypes.c_long * 2)(0, 8), L(1), (ctypes.c_long * 2)(4096, 8), L(1), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

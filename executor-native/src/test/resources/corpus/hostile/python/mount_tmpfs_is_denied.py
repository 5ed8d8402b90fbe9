# expect: syscall_denied
# stdout: calling mount(tmpfs on /tmp)
# mount(2) changes the job's view of the file system; even without CAP_SYS_ADMIN the call is kernel attack surface (fs parameter parsing).
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling mount(tmpfs on /tmp)", flush=True)
r = libc.syscall(L(165), b"none", b"/tmp", b"tmpfs", L(0), None)
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

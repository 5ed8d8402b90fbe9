# expect: syscall_denied
# stdout: calling chroot(/tmp/jail)
# The classic chroot escape: chroot into a subdirectory, then walk up with chdir(..) past the old root.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling chroot(/tmp/jail)", flush=True)
r = (os.makedirs("/tmp/jail", exist_ok=True), libc.syscall(L(161), b"/tmp/jail"))[1]
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

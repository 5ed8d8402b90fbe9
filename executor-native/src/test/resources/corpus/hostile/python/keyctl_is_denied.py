# expect: syscall_denied
# stdout: calling keyctl(KEYCTL_JOIN_SESSION_KEYRING)
# The kernel keyring is shared by the uid across the host and has had many bugs (CVE-2016-0728).
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling keyctl(KEYCTL_JOIN_SESSION_KEYRING)", flush=True)
r = libc.syscall(L(250), L(1), b"sandq")
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

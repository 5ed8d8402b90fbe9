# expect: syscall_denied
# stdout: calling name_to_handle_at
# The other half of the 'shocker' escape: obtaining file handles.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling name_to_handle_at", flush=True)
r = libc.syscall(L(303), L(-100), b"/", (ctypes.c_uint32 * 34)(128), (ctypes.c_int * 1)(), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling open_by_handle_at
# open_by_handle_at(2) opens files by inode handle, around any mount or chroot: the 'shocker' Docker escape.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling open_by_handle_at", flush=True)
r = libc.syscall(L(304), L(os.open("/", os.O_RDONLY)), (ctypes.c_uint32 * 4)(8, 1, 2, 0), L(0))
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

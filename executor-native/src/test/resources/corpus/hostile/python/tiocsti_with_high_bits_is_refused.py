# expect: error
# stdout: calling ioctl(0, 0x1_0000_5412)
# stdout: came back: -1 Operation not permitted
# TIOCSTI with high bits set in the 64-bit argument: the kernel only looks at the low 32 bits, so
# the filter must mask the same way (the issue asks for exactly this) and refuse with EPERM like
# the plain request. A filter comparing all 64 bits would let this through to the tty layer,
# which answers ENOTTY here (no terminal) but would inject with one.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
print("calling ioctl(0, 0x1_0000_5412)", flush=True)
r = libc.syscall(ctypes.c_long(16), ctypes.c_long(0), ctypes.c_long(0x100005412), b"x")
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

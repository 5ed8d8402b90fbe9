# expect: syscall_denied
# stdout: calling reboot(RB_POWER_OFF)
# reboot(2). In a PID namespace it would only end the namespace, but the job has no business calling it.
# The call goes straight to the kernel through ctypes (no libc wrapper to refuse it first); the
# seccomp filter must kill the job on the spot. Anything printed after "calling" means the call
# came back, which is wrong whatever it returned.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
L = ctypes.c_long
print("calling reboot(RB_POWER_OFF)", flush=True)
r = libc.syscall(L(169), L(0xfee1dead), L(672274793), L(0x4321FEDC), None)
print("came back:", r, os.strerror(ctypes.get_errno()), flush=True)
raise SystemExit(3)

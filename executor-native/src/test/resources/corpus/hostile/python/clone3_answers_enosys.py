# expect: ok
# stdout: clone3: ENOSYS
# stdout: fork still works: True
# clone3 passes its flags in memory, where a seccomp filter cannot look: the policy answers
# ENOSYS (not a kill), so that libc falls back to clone(2), whose flags the filter does check.
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
args = (ctypes.c_uint64 * 11)()  # struct clone_args, all zero: a plain fork if it were let through
r = libc.syscall(ctypes.c_long(435), args, ctypes.c_long(88))
if r == 0:
    os._exit(0)
print("clone3:", errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno()) if r < 0 else f"RETURNED {r}")
pid = os.fork()
if pid == 0:
    os._exit(7)
print("fork still works:", os.WEXITSTATUS(os.waitpid(pid, 0)[1]) == 7)

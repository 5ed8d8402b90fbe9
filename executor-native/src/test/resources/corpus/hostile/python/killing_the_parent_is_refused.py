# expect: ok
# stdout-contains: ppid: 1
# stdout-contains: parent still there: True
# stdout-not-contains: parent still there: False
# The job's parent is its PID namespace's init. In privilege mode root, init runs as root and the
# job's uid may not signal it (PermissionError). In privilege mode userns, init shares the job's
# uid, so the signals are sent, but the kernel drops every signal (SIGKILL and SIGSTOP included)
# that a namespace's init gets from inside its namespace without a handler: it stays. The launcher
# above it lives in another PID namespace, out of reach altogether.
import os
import signal

print("ppid:", os.getppid())
for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):
    try:
        os.kill(os.getppid(), sig)
        print(f"kill(1, {sig.name}): SENT")
    except OSError as e:
        print(f"kill(1, {sig.name}): {type(e).__name__}")
print("parent still there:", os.getppid() == 1)

# expect: ok
# stdout: ppid: 1
# stdout: kill(1, SIGKILL): PermissionError
# stdout: kill(1, SIGTERM): PermissionError
# stdout: kill(1, SIGSTOP): PermissionError
# stdout: parent still there: True
# The job's parent is the namespace's init, which runs as root: the job's uid may not signal it
# (and the launcher above it lives in another PID namespace, out of reach altogether).
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

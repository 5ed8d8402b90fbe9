# expect: memory_limit
# limits: memory_mb=128
# unprivileged-expect: timeout
# Four processes of 60 MiB each: every one is under the limit, the job as a whole is not. The
# memory limit is per job (its cgroup), not per process: the kernel kills one of them, and the
# parent, which waits for the first child to end, then exits. (Had it waited on into the wall
# limit, the launcher would report timeout: a wall/CPU kill takes precedence over an earlier OOM.)
# Privilege mode userns has no cgroup on these hosts: RLIMIT_DATA bounds each process, not the job
# (docs/security.md), so all four live on until the wall limit: timeout. The job's total stays
# bounded by its process limit times the memory limit.
import os
import time

children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        block = bytearray(60 << 20)
        time.sleep(30)
        os._exit(0)
    children.append(pid)
_, status = os.wait()
print("first child ended by signal:", os.WIFSIGNALED(status) and os.WTERMSIG(status))

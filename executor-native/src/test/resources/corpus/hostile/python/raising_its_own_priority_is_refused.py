# expect: ok
# stdout: nice 0 | -1 refused | -20 refused | 5 allowed
# A job runs at the worker's priority and may lower it, never raise it: RLIMIT_NICE is 0 and it
# has no CAP_SYS_NICE, whichever way its sandbox was started. (Real-time scheduling is not even
# on the allowlist.)
import os

out = ["nice %d" % os.getpriority(os.PRIO_PROCESS, 0)]
for value in (-1, -20):
    try:
        os.setpriority(os.PRIO_PROCESS, 0, value)
        out.append("%d allowed" % value)
    except PermissionError:
        out.append("%d refused" % value)
os.setpriority(os.PRIO_PROCESS, 0, 5)
out.append("%d allowed" % os.getpriority(os.PRIO_PROCESS, 0))
print(" | ".join(out))

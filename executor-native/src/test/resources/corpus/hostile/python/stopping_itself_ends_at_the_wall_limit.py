# expect: timeout
# limits: wall_time_ms=500
# max-wall-ms: 2000
# A job that sends itself SIGSTOP neither exits nor uses CPU: the wall clock must still end it,
# and a stopped process must not keep the namespace (or the worker's slot) alive.
import os
import signal

os.kill(os.getpid(), signal.SIGSTOP)
print("continued")

# expect: ok
# run-beside: companions/holds_a_secret_in_tmp.py
# stdout: own child killed: True
# stdout: still alive
# kill(-1, SIGKILL) signals every process the caller may signal, except itself: inside the job's
# PID namespace and uid that is only its own child. The companion job in the other slot runs
# meanwhile and must end ok (the harness checks it), and nothing on the host is touched.
import os
import signal
import time

child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
os.kill(-1, signal.SIGKILL)
_, status = os.waitpid(child, 0)
print("own child killed:", os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL)
print("still alive")

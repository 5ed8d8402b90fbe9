# expect: ok
# limits: max_processes=16
# stdout: capped below the process limit: True
# Threads count as processes for the pids cgroup and RLIMIT_NPROC: starting threads until the
# kernel refuses must stop before 16, and the job then carries on normally.
import threading

stop = threading.Event()
started = 0
try:
    while started < 10_000:
        threading.Thread(target=stop.wait, daemon=True).start()
        started += 1
except RuntimeError:
    pass
stop.set()
print("capped below the process limit:", 0 < started < 16)

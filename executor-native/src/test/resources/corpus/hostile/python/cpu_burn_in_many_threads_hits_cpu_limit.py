# expect: timeout
# limits: wall_time_ms=10000 cpu_time_ms=600
# max-wall-ms: 4000
# Eight threads hashing large buffers (hashlib releases the GIL, so they really run in parallel)
# burn CPU on every core: the job-wide CPU limit, summed over all threads, must stop the job long
# before the 10 s wall limit.
import hashlib
import threading

data = b"x" * (1 << 20)


def burn():
    while True:
        hashlib.sha256(data).digest()


for _ in range(8):
    threading.Thread(target=burn, daemon=True).start()
threading.Event().wait()

# expect: timeout
# limits: wall_time_ms=1000
# max-wall-ms: 3000
# Every process forks forever and shrugs off EAGAIN: the pids cgroup (and RLIMIT_NPROC) cap the
# job at its process limit, the wall clock ends it, and the whole namespace goes with it.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass

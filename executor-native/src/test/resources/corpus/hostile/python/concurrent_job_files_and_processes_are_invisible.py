# expect: ok
# run-beside: companions/holds_a_secret_in_tmp.py
# stdout: other processes in /proc: []
# stdout: other pids that answer kill(pid, 0): []
# stdout: secret seen: []
# Runs while the companion job (other slot, other uid) holds a secret file in its /tmp and sleeps.
# Each job has its own /tmp, its own PID namespace and a /proc that shows only its own uid:
# nothing of the other job can be seen, named or signalled.
import os

me = os.getpid()
print("other processes in /proc:", [p for p in os.listdir("/proc") if p.isdigit() and int(p) != me])
answering = []
for pid in range(2, 1 << 16):
    if pid == me:
        continue
    try:
        os.kill(pid, 0)
        answering.append(pid)
    except ProcessLookupError:
        pass
    except PermissionError:
        answering.append(pid)
print("other pids that answer kill(pid, 0):", answering)
seen = []
for top in ["/tmp", "/proc", "/sandbox", "/dev/shm", "/run", "/var/tmp"]:
    for dirpath, dirnames, filenames in os.walk(top):
        if dirpath.startswith("/proc/") and dirpath.count("/") > 2:
            dirnames[:] = []
        for name in filenames:
            if "secret" in name:
                seen.append(os.path.join(dirpath, name))
print("secret seen:", seen)

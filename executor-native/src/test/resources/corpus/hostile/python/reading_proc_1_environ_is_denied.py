# expect: ok
# stdout: /proc/1/environ: unreadable
# stdout: /proc/1/cmdline: unreadable
# stdout: /proc/1/root: unreadable
# stdout: /proc/1/cwd: unreadable
# stdout: /proc/1/maps: unreadable
# stdout: pid 1 listed in /proc: False
# stdout: /proc/sys/kernel: unreadable
# stdout: /sys/kernel: unreadable
# PID 1 inside is the sandbox's init, forked from the launcher: its environment is the worker's.
# /proc is mounted hidepid=invisible and init runs as root, so none of it is readable; the host's
# own PID 1 is in another PID namespace and cannot even be named.
import os

for path in ["/proc/1/environ", "/proc/1/cmdline", "/proc/1/root", "/proc/1/cwd", "/proc/1/maps"]:
    try:
        if os.path.islink(path) or path.endswith(("root", "cwd")):
            print(f"{path}: READ {os.listdir(path)[:5]}")
        else:
            with open(path, "rb") as f:
                print(f"{path}: READ {f.read(80)!r}")
    except OSError:
        print(f"{path}: unreadable")
print("pid 1 listed in /proc:", "1" in os.listdir("/proc"))
for path in ["/proc/sys/kernel", "/sys/kernel"]:
    try:
        print(f"{path}: READ {os.listdir(path)[:5]}")
    except OSError:
        print(f"{path}: unreadable")

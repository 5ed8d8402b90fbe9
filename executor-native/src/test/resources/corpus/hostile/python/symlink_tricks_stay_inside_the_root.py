# expect: ok
# stdout: /tmp/l-proc1-root: unreadable
# stdout: /tmp/l-proc1-cwd: unreadable
# stdout: /tmp/l-shadow: unreadable
# stdout: /tmp/l-up/etc: no host files
# stdout: /proc/self/root is /: True
# stdout: /.. is /: True
# stdout: hard link to /usr/bin/python3: refused
# stdout: hard link to /etc/passwd: refused
# stdout: extra fds: []
# Symlinks and magic links that would lead out of the job's root: through init's /proc entries,
# to host files, up past the root with "..", hard links across mounts, and fds inherited from
# the worker that would point outside.
import os

os.symlink("/proc/1/root", "/tmp/l-proc1-root")
os.symlink("/proc/1/cwd", "/tmp/l-proc1-cwd")
os.symlink("/etc/shadow", "/tmp/l-shadow")
os.symlink("../../../../../../../../..", "/tmp/l-up")
for link in ["/tmp/l-proc1-root", "/tmp/l-proc1-cwd"]:
    try:
        print(f"{link}: READ {os.listdir(link)[:5]}")
    except OSError:
        print(f"{link}: unreadable")
try:
    with open("/tmp/l-shadow") as f:
        print("/tmp/l-shadow: READ", f.read(40))
except OSError:
    print("/tmp/l-shadow: unreadable")
host_files = {"shadow", "hostname", "os-release", "debian_version", "fstab", "sudoers"}
seen = host_files & set(os.listdir("/tmp/l-up/etc"))
print("/tmp/l-up/etc:", f"HOST FILES {sorted(seen)}" if seen else "no host files")
root = os.stat("/")
same = lambda a, b: (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
print("/proc/self/root is /:", same(os.stat("/proc/self/root/.."), root))
print("/.. is /:", same(os.stat("/.."), root))
for target in ["/usr/bin/python3", "/etc/passwd"]:
    try:
        os.link(target, "/tmp/hard-" + os.path.basename(target))
        print(f"hard link to {target}: MADE")
    except OSError:
        print(f"hard link to {target}: refused")
listing = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
fds = sorted(int(n) for n in os.listdir(f"/proc/self/fd") if int(n) > 2)
extra = []
for fd in fds:
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        continue  # the directory listing's own fd, closed already
    if fd != listing:
        extra.append((fd, target))
print("extra fds:", extra)

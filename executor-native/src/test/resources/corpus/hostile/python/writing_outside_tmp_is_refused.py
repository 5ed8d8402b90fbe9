# expect: ok
# stdout-not-contains: WROTE
# stdout-contains: /sandbox/main.py: refused
# stdout-contains: /usr/bin/python3: refused
# stdout-contains: /usr/lib/python3/dist-packages/evil.py: refused
# stdout-contains: /newfile: refused
# stdout-contains: /tmp/ok: written
# Everything but /tmp is read-only (or not there): the job's own code, the interpreter, the
# standard library and packages, /etc, /dev, the root itself.
import os
import sys

targets = ["/sandbox/main.py", "/sandbox/other.py", "/usr/bin/python3", "/usr/bin/sh",
           f"/usr/lib/python{sys.version_info[0]}.{sys.version_info[1]}/os.py",
           "/usr/lib/python3/dist-packages/evil.py", "/etc/passwd", "/etc/ld.so.preload",
           "/etc/ssl/certs/evil.pem", "/dev/evil", "/proc/sys/kernel/core_pattern",
           "/proc/sysrq-trigger", "/newfile", "/tmp/ok"]
for path in targets:
    try:
        with open(path, "ab") as f:
            f.write(b"pwned\n")
        print(f"{path}: {'written' if path.startswith('/tmp/') else 'WROTE'}")
    except OSError:
        print(f"{path}: refused")
for op, path in [("mkdir", "/newdir"), ("rename", "/sandbox/main.py"), ("chmod", "/usr/bin/python3"),
                 ("unlink", "/etc/passwd"), ("symlink", "/usr/bin/sh")]:
    try:
        if op == "mkdir":
            os.mkdir(path)
        elif op == "rename":
            os.rename(path, "/sandbox/moved.py")
        elif op == "chmod":
            os.chmod(path, 0o4777)
        elif op == "unlink":
            os.unlink(path)
        else:
            os.symlink("/usr/bin/python3", path)
        print(f"{op} {path}: WROTE")
    except OSError:
        print(f"{op} {path}: refused")

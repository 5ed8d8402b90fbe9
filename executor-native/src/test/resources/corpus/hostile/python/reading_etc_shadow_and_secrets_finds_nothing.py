# expect: ok
# stdout: /etc/shadow: unreadable
# stdout: /etc/gshadow: unreadable
# stdout: /etc/sudoers: unreadable
# stdout: /root/.ssh/id_rsa: unreadable
# stdout: /etc/ssh/ssh_host_ed25519_key: unreadable
# stdout: /var/run/secrets/kubernetes.io/serviceaccount/token: unreadable
# stdout: /etc/passwd: sandbox:x
# The root holds the interpreter and its libraries only; /etc/passwd is the job's own one-line file.
for path in ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/root/.ssh/id_rsa",
             "/etc/ssh/ssh_host_ed25519_key", "/var/run/secrets/kubernetes.io/serviceaccount/token"]:
    try:
        with open(path, "rb") as f:
            print(f"{path}: READ {f.read(64)!r}")
    except OSError:
        print(f"{path}: unreadable")
with open("/etc/passwd") as f:
    lines = f.read().splitlines()
print("/etc/passwd:", lines[0][:9] if len(lines) == 1 else f"{len(lines)} lines")

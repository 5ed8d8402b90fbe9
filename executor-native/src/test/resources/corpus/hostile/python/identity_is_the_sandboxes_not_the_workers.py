# expect: ok
# stdout: hostname: sandq
# stdout: user: sandbox
# stdout: uid is a slot uid, not root: True
# stdout: capabilities: 0000000000000000 0000000000000000 0000000000000000
# stdout: no_new_privs: 1
# stdout: seccomp: 2
# The job sees its own UTS namespace, its slot's account, no
# capabilities at all (effective, permitted, bounding), no_new_privs set and a seccomp filter.
import getpass
import os
import socket

print("hostname:", socket.gethostname())
print("user:", getpass.getuser())
print("uid is a slot uid, not root:", os.getuid() == os.geteuid() and os.getuid() >= 1000)
status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
print("capabilities:", status["CapEff"].strip(), status["CapPrm"].strip(), status["CapBnd"].strip())
print("no_new_privs:", status["NoNewPrivs"].strip())
print("seccomp:", status["Seccomp"].strip())

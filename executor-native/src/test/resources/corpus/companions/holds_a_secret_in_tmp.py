# expect: ok
# stdout: companion sees no other process: True
# stdout: secret intact: True
# Not a case of its own: the harness runs it in the other slot beside cases that declare
# "run-beside" and checks that it ends ok, untouched. It keeps a secret in its /tmp, signals that
# it is up by creating /tmp/sandq-companion-ready (the harness looks for that file through
# /proc/PID/root on the host), and stays alive long enough for the case to run.
import os
import time

with open("/tmp/secret.txt", "w") as f:
    f.write("sandq-companion-secret")
open("/tmp/sandq-companion-ready", "w").close()
me = os.getpid()
time.sleep(2.5)
print("companion sees no other process:", [p for p in os.listdir("/proc") if p.isdigit() and int(p) != me] == [])
with open("/tmp/secret.txt") as f:
    print("secret intact:", f.read() == "sandq-companion-secret")

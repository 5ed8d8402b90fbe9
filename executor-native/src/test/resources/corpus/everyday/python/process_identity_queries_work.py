# expect: ok
# stdout: groups: []
# stdout: resuid equal: True
# stdout: session leader: True
# stdout: priority: 0
# Read-only questions about the process itself, asked by libraries (getpass, os.access
# emulations, process managers, logging): they reveal nothing outside the job and must not kill it.
import os

print("groups:", [g for g in os.getgroups() if g != os.getgid()])
print("resuid equal:", len(set(os.getresuid())) == 1 and len(set(os.getresgid())) == 1)
print("session leader:", os.getsid(0) == os.getpid() == os.getpgrp() == os.getpgid(0))
print("priority:", os.getpriority(os.PRIO_PROCESS, 0))

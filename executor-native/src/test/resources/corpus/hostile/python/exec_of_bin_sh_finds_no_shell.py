# expect: error
# stderr-contains: FileNotFoundError
# There is no shell in the sandbox's root: execve itself is allowed (it started the interpreter)
# but finds nothing to run, and the exception ends the job.
import os

os.execv("/bin/sh", ["sh", "-c", "id"])

# expect: error
# stderr-contains: PermissionError
# stdout: copied
# "No shell and no other binaries inside" must also hold for binaries the job brings itself:
# /tmp is writable, so it must be mounted noexec. Here the job copies the interpreter (it could
# as well be a static busybox it wrote from base64) and tries to run the copy.
import os
import shutil

shutil.copy("/usr/bin/python3", "/tmp/py")
os.chmod("/tmp/py", 0o755)
print("copied", flush=True)
os.execv("/tmp/py", ["py", "-c", "print('EXECUTED a binary from /tmp')"])

# expect: ok
# stdout: truncated: a
# stdout: allocated: 4096
# stdout: advised
# File calls on the job's own /tmp that databases, loggers and pandas/numpy writers use.
import os

with open("/tmp/t", "w") as f:
    f.write("abc")
os.truncate("/tmp/t", 1)
print("truncated:", open("/tmp/t").read())
fd = os.open("/tmp/f", os.O_CREAT | os.O_RDWR)
os.posix_fallocate(fd, 0, 4096)
print("allocated:", os.fstat(fd).st_size)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
print("advised")

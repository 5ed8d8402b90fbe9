# expect: syscall_denied
# files: before.txt
# files-truncated: false
# A FIFO left in the output directory would block a reader that opened it. mknod is not in the
# allowlist, so the job cannot make one (it is killed); the collector, which opens every entry
# with O_NONBLOCK and reads only what fstat says is a regular file, would not block on one either.
# What the job wrote before still comes back.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
with open(out + "/before.txt", "w") as f:
    f.write("written first")
os.mkfifo(out + "/pipe")

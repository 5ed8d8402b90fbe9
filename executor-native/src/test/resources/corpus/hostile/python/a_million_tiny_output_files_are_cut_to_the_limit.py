# expect: ok
# limits: wall_time_ms=10000
# files-count: 64
# files-truncated: true
# stdout: stopped by No space left on device
# stdout: made at least 10000 files
# A job tries to leave a million empty files in its output directory. Empty files cost no bytes
# of /tmp's size but kernel memory (charged to the job's memory cgroup when there is one, to no
# one without): /tmp has one inode per KiB of its size (16384 for 16 MiB), so the job stops with
# ENOSPC long before its memory limit, in either privilege mode. The worker returns the first 64
# by name (--max-output-files) and flags the rest; the collector looks at a bounded number of
# entries (a few hundred), so the thousands cost it no more time than a few hundred would.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
made = 0
try:
    while made < 1_000_000:
        os.close(os.open("%s/f%07d" % (out, made), os.O_CREAT | os.O_WRONLY, 0o644))
        made += 1
except OSError as e:
    print("stopped by", e.strerror)
print("made at least 10000 files" if made >= 10000 else "made only %d files" % made)

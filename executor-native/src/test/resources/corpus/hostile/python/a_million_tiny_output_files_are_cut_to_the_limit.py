# expect: ok
# limits: wall_time_ms=10000
# files-count: 64
# files-truncated: true
# stdout-contains: made at least 20000 files
# A job leaves as many tiny files as it can make in a few seconds (up to a million) in its output
# directory. The worker returns the first 64 by name (--max-output-files) and flags the rest; the
# collector looks at a bounded number of entries (a few hundred), so the million cost it no
# more time than a few hundred would, and the reply stays small.
import os
import time

out = os.environ["SANDQ_OUTPUT_DIR"]
start = time.monotonic()
made = 0
try:
    while made < 1_000_000 and time.monotonic() - start < 4:
        for _ in range(1000):
            os.close(os.open("%s/f%07d" % (out, made), os.O_CREAT | os.O_WRONLY, 0o644))
            made += 1
except OSError as e:
    print("stopped by", e.strerror)
print("made at least 20000 files" if made >= 20000 else "made only %d files" % made)

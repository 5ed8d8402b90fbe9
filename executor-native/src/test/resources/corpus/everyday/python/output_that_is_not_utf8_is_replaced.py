# expect: ok
# stdout: before � after
# Bytes that are not UTF-8 reach the result as U+FFFD: the job's output can never break the
# result's JSON.
import sys

sys.stdout.buffer.write(b"before \xff after\n")

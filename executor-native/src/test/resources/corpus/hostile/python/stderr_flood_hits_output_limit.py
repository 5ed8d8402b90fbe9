# expect: output_limit
# limits: max_output_bytes=65536
# The output cap counts stderr too: a job cannot flood the worker through the other stream.
import sys

while True:
    sys.stderr.write("e" * 99 + "\n")

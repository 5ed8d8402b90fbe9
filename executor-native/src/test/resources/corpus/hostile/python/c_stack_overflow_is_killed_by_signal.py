# expect: killed
# limits: memory_mb=256
# With the recursion limit lifted, nested JSON recurses in C until the 8 MiB stack runs out:
# SIGSEGV, reported as killed (not as an internal error, not as a syscall denial).
import json
import sys

sys.setrecursionlimit(1 << 30)
depth = 2_000_000
json.loads("[" * depth + "]" * depth)

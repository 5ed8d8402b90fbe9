# expect: ok
# stdin: first line
# stdin: {"n": 41}
# stdout: read: first line
# stdout: n+1 = 42
import json
import sys

print("read:", sys.stdin.readline().strip())
print("n+1 =", json.loads(sys.stdin.readline())["n"] + 1)

import platform
import sys

print(f"hello from Python {platform.python_version()}")
print("this line goes to stderr", file=sys.stderr)

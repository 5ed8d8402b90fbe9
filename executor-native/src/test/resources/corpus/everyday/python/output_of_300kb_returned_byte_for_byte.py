# expect: ok
# stdout-length: 307200
# stdout-sha256: 11f4c0eacbe697768b7916fe2149fb7ed6f09d77b739fc6e225a7e2649b9165f
# 307200 bytes: 4800 lines of 64 bytes each (a counter and filler), all of it must come back.
import sys

out = sys.stdout
for i in range(4800):
    out.write(f"{i:06d} " + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU"[: 64 - 8] + "\n")

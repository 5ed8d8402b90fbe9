# expect: memory_limit
# limits: memory_mb=128
# bytearray(n) zero-fills its n bytes, so all 4 GiB are touched: the job's cgroup stops it.
x = bytearray(4 << 30)
print("allocated", len(x))

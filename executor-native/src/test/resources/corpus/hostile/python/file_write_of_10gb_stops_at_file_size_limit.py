# expect: error
# stderr-contains: OSError: [Errno
# 10 GB into /tmp: RLIMIT_FSIZE (Python ignores SIGXFSZ, so write() fails with EFBIG) or the
# size-limited /tmp (ENOSPC) stops it; the host's disk never sees it.
chunk = b"\0" * (1 << 20)
with open("/tmp/big", "wb", buffering=0) as f:
    for _ in range(10 * 1024):
        f.write(chunk)
print("wrote 10 GB")

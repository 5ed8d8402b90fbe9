# expect: error
# stderr-contains: No space left on device
# Many files of 1 MiB each, every one below the file size limit: /tmp's own size limit stops it.
chunk = b"\1" * (1 << 20)
for i in range(100_000):
    with open(f"/tmp/fill-{i}", "wb", buffering=0) as f:
        f.write(chunk)
print("filled", i + 1, "MiB")

# expect: ok
# files: small.txt
# files-truncated: true
# An output file past the worker's byte limit for a job's files (4 MiB by default,
# --max-output-files-bytes) is left out whole, not cut, and the result says so; the files that
# fit still come back. A reply never goes past the results topic's max.message.bytes because of
# files.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
with open(out + "/big.bin", "wb") as f:
    for _ in range(5):
        f.write(b"\0" * (1 << 20))
with open(out + "/small.txt", "w") as f:
    f.write("small")

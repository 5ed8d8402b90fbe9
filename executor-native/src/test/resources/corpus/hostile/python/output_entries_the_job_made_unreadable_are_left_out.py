# expect: ok
# files: readable.txt
# files-truncated: true
# The collector reads as the job's uid, without capabilities: what the job made unreadable to
# itself (a file of mode 000, a directory it may list but not search, one it may not even list)
# is left out and flagged, never a failure of the sandbox's. Were it one, a job could make the
# worker count sandbox failures at will (and open its circuit breaker).
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
with open(out + "/readable.txt", "w") as f:
    f.write("readable")
with open(out + "/mode-000.txt", "w") as f:
    f.write("hidden")
os.chmod(out + "/mode-000.txt", 0)
for name, mode in [("listable-not-searchable", 0o600), ("closed", 0)]:
    os.mkdir(out + "/" + name)
    with open(out + "/" + name + "/inside.txt", "w") as f:
        f.write("inside")
    os.chmod(out + "/" + name, mode)

# expect: ok
# files: none
# files-truncated: false
# The job writes output files and removes them again: the directory is empty at the end. Init
# finds it so, and the launcher writes the end record without a collector; nothing comes back and
# nothing is flagged, as when the collector walked an empty directory.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
for name in ("a.txt", "b.txt"):
    with open(f"{out}/{name}", "w") as f:
        f.write(name)
os.mkdir(out + "/sub")
os.remove(out + "/a.txt")
os.remove(out + "/b.txt")
os.rmdir(out + "/sub")

# expect: ok
# files: real.txt
# files-truncated: true
# files-not-contains: sandbox:x:
# files-not-contains: PYTHON
# A job plants symlinks in its output directory pointing at files outside it (its /etc/passwd,
# its own environment through /proc, the directory above) and hopes the worker, reading as
# another user or in another place, follows them. The collector opens every entry with
# O_NOFOLLOW under the directory's fd and takes regular files only: the links are left out and
# flagged, and no byte of what they point at comes back.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
os.symlink("/etc/passwd", out + "/passwd")
os.symlink("/proc/self/environ", out + "/environ")
os.symlink("..", out + "/up")
os.makedirs(out + "/sub")
os.symlink("/etc", out + "/sub/etc")
with open(out + "/real.txt", "w") as f:
    f.write("mine")

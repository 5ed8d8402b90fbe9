# expect: syscall_denied
# files: before.txt
# A device node in the output directory (a copy of /dev/sda's numbers, say) would be read as the
# disk by a careless collector. The job cannot make one (mknod is denied), /tmp is mounted nodev
# besides, and the collector reads regular files only.
import os
import stat

out = os.environ["SANDQ_OUTPUT_DIR"]
with open(out + "/before.txt", "w") as f:
    f.write("written first")
os.mknod(out + "/sda", stat.S_IFBLK | 0o600, os.makedev(8, 0))

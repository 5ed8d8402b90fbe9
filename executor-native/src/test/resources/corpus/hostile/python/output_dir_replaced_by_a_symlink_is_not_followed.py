# expect: ok
# files: none
# files-truncated: true
# files-not-contains: sandbox:x:
# The job replaces its output directory itself with a symlink to /etc. The collector opens the
# directory's every component with O_NOFOLLOW: it returns nothing, and says something was left
# out.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
os.rmdir(out)
os.symlink("/etc", out)

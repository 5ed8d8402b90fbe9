# expect: ok
# files: none
# files-truncated: true
# files-not-contains: written in place of the directory
# The job replaces its output directory with a regular file. Init, looking whether the directory
# holds files, opens it with O_DIRECTORY|O_NOFOLLOW and gets ENOTDIR: it leaves the judgement to
# the collector, which returns nothing and says something was left out. The file is never read.
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
os.rmdir(out)
with open(out, "w") as f:
    f.write("written in place of the directory")

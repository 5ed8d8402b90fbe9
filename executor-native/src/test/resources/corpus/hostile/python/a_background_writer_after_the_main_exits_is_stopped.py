# expect: ok
# files-include: done.txt grows.txt
# files-not-contains: sandbox:x:
# The main process exits while a child it left keeps appending to one output file and swapping
# another with a symlink to /etc/passwd as fast as it can. The files are read only once every
# process of the job is gone (init, PID 1 of its namespace, is reaped first, which takes the rest
# with it): what comes back is the state at that moment, a regular file read whole, never the
# link's target, and nothing is written while the collector reads. (Whether swap.txt comes back
# depends on which state the kill found it in: a regular file, or a link left out.)
import os
import time

out = os.environ["SANDQ_OUTPUT_DIR"]
with open(out + "/swap.txt", "w") as f:
    f.write("regular")
if os.fork() == 0:
    with open(out + "/grows.txt", "a") as grows:
        while True:
            if grows.tell() < 1 << 20:
                grows.write("x" * 100)
                grows.flush()
            os.symlink("/etc/passwd", out + "/swap.tmp")
            os.rename(out + "/swap.tmp", out + "/swap.txt")
            with open(out + "/swap.tmp", "w") as f:
                f.write("regular")
            os.rename(out + "/swap.tmp", out + "/swap.txt")
time.sleep(0.2)
with open(out + "/done.txt", "w") as f:
    f.write("done")
os._exit(0)

# expect: ok
# files: from_the_child.txt
# files-truncated: false
# max-wall-ms: 5000
# Init looks at the output directory itself before the launcher forks a collector, and skips the
# collector when it finds it empty. It must look only once nothing of the job runs: here the main
# process exits while a child it forked, having written its file, still runs (and would keep the
# directory changing). Init kills and reaps the child first, then finds the file: it comes back,
# and the job does not wait for the child.
import os
import time

out = os.environ["SANDQ_OUTPUT_DIR"]
done_r, done_w = os.pipe()
if os.fork() == 0:
    os.close(done_r)
    with open(out + "/from_the_child.txt", "w") as f:
        f.write("written by a process the main one left behind")
    os.write(done_w, b"x")
    while True:
        time.sleep(60)
os.close(done_w)
os.read(done_r, 1)

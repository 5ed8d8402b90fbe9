# expect: ok
# run-beside: companions/holds_a_secret_output_file.py
# files: mine.txt
# files-truncated: true
# files-not-contains: sandq-companion-output-secret
# While another job (other slot, other uid) holds a secret in its output directory, this one
# plants links at every place that job's files could be named from here: through /proc (whose
# other PIDs it cannot see), the host's slot directories (not in its root), and the same path as
# its own. Its result holds its own file only: the links are not followed, and the collector
# reads in this job's mount namespace as this job's uid.
import glob
import os

out = os.environ["SANDQ_OUTPUT_DIR"]
targets = ["/proc/%d/root/tmp/output/secret.txt" % pid for pid in range(2, 200)]
targets += glob.glob("/dev/shm/*/slot-*/files-*.out") + glob.glob("/tmp/*/slot-*/files-*.out")
targets += ["/tmp/output/secret.txt", "/dev/shm/sandq-slots/slot-0/files-1.out"]
for i, target in enumerate(targets):
    os.symlink(target, "%s/link-%03d" % (out, i))
with open(out + "/mine.txt", "w") as f:
    f.write("mine")

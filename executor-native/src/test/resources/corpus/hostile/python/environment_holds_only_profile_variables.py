# expect: ok
# stdout: unexpected variables: []
# stdout: /proc/self/environ agrees: True
# stdout: HOME=/tmp TMPDIR=/tmp
# stdout: worker traces in values: []
# The job starts from an empty environment plus the profile's few variables: nothing of the
# worker's (JAVA_HOME, Kafka or cloud credentials, SANDQ_* settings) leaks in. SANDQ_OUTPUT_DIR is
# the profile's own (where the job leaves the files it returns), and so are matplotlib's two.
import os

allowed = {"PATH", "HOME", "TMPDIR", "LANG", "TZ", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "SANDQ_OUTPUT_DIR",
           "MPLBACKEND", "MPLCONFIGDIR"}
print("unexpected variables:", sorted(k for k in os.environ if k not in allowed and not k.startswith("PYTHON")))
with open("/proc/self/environ", "rb") as f:
    raw = dict(e.split(b"=", 1) for e in f.read().split(b"\0") if e)
print("/proc/self/environ agrees:", {k.decode() for k in raw} == set(os.environ))
print(f"HOME={os.environ.get('HOME')} TMPDIR={os.environ.get('TMPDIR')}")
traces = ["java", "maven", "kafka", "sandq", "/root", "secret", "token", "password", "aws"]
print("worker traces in values:", sorted(t for t in traces if any(t in v.lower() for v in os.environ.values())))

# Prototype harness for ZYGOTE.md (not a test): python3 zygote_harness.py N [CODE]; needs the
# files launch-args.txt names (/tmp/repro: a copy of a worker slot and its libraries view), as root.
import os, sys, time, shlex, statistics, subprocess
L = '/work/main/executor-native/target/native/sandq-launcher'
LIB = '/work/main/executor-native/target/native/libsandq-launcher.so'
BOOT = open('/work/main/executor-native/src/main/resources/dev/sandq/executor/prestart/python3.py').read()
ZYG = open('/work/main/executor-native/src/main/resources/dev/sandq/executor/zygote/python3.py').read()
line = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'launch-args.txt')).read()
args = shlex.split(line)[1:]
args[0] = L
dash = args.index('--')
opts = [a for a in args[1:dash]]
# drop the code copy-in: prestart gets the code on stdin
i = opts.index('/tmp/repro/slot/code:/sandbox/main.py'); del opts[i-1:i+1]
opts = ['--prestart', '--ro-bind', '/tmp/repro/lib/prestart:/usr/lib/sandq/prestart', '--ro-bind', '/tmp/repro/slot/prestarted-code:/sandbox'] + opts
env = dict(opts[j+1].split('=', 1) for j in range(len(opts)) if opts[j] == '--env')
prog = ['/usr/bin/python3', '-B', '-c', BOOT, '/sandbox/main.py']
sock = '/tmp/zyg/sock'
os.makedirs('/tmp/zyg', exist_ok=True)
if os.path.exists(sock): os.unlink(sock)
zopts = [o.replace('/dev/shm/repro/status.json', '/dev/shm/repro/zstatus.json') for o in opts] + ['--ro-bind', LIB + ':/run/sandq/libsandq-launcher.so']
z = subprocess.Popen([L, '--zygote-serve', sock] + zopts + ['--', '/usr/bin/python3', '-B', '-c', ZYG, '/run/sandq/libsandq-launcher.so'], stdin=subprocess.DEVNULL, stderr=open('/tmp/zyg/err', 'w'))
while not os.path.exists(sock): time.sleep(0.05)
time.sleep(0.3)
code = sys.argv[2] if len(sys.argv) > 2 else 'print("hello", 6*7)'
src = code.encode()
frame = b'%012d' % len(src) + src

def cpu():
    f = open('/proc/stat').readline().split()[1:]
    v = list(map(int, f)); return sum(v) - v[3] - v[4]

def run(zyg):
    a = [L] + (['--zygote', sock] if zyg else []) + opts + ['--'] + prog
    t = time.perf_counter()
    p = subprocess.run(a, input=frame, capture_output=True)
    d = (time.perf_counter() - t) * 1000
    st = open('/dev/shm/repro/status.json').read()
    return d, p, st

N = int(sys.argv[1])
for zyg in (False, True):
    d, p, st = run(zyg)
    print('zygote' if zyg else 'exec', p.returncode, p.stdout, p.stderr[:300], st.strip()[:300])
for rnd in range(int(os.environ.get("ROUNDS","2"))):
  for zyg in ([True] if os.environ.get("ZONLY") else [False, True]):
    ts = []; c0 = cpu(); t0 = time.time()
    for i in range(N):
        d, p, st = run(zyg); ts.append(d)
    c1 = cpu(); el = time.time() - t0
    print(f"{'zygote' if zyg else 'exec  '} p50 {statistics.median(ts):6.2f} ms  cpu/job {(c1-c0)*10/N:6.2f} ms (jiffies 10ms)  rc {p.returncode} out {p.stdout!r}")
z.terminate()
print(open('/tmp/zyg/err').read()[-2000:])

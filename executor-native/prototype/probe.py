import os, sys
st = open('/proc/self/status').read()
keep = [l for l in st.splitlines() if l.split(':')[0] in ('Uid','Gid','CapEff','CapPrm','CapBnd','NoNewPrivs','Seccomp','NSpid','PPid')]
print(keep)
print('fds', sorted(os.listdir('/proc/self/fd')))
print('root', sorted(os.listdir('/')))
print('pids', sorted(p for p in os.listdir('/proc') if p.isdigit()))
print('argv', sys.argv, sys.orig_argv[:3], sys.orig_argv[-1])
print('path', sys.path)
print('mods', len(sys.modules), 'ctypes' in sys.modules, 'socket' in sys.modules)
print('env', sorted(os.environ))
print('main', sorted(globals()))
print('maps', sorted(set(l.split()[-1] for l in open('/proc/self/maps') if '/' in l.split()[-1]))[:30])
import signal; print('sig', signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGCHLD), signal.getsignal(signal.SIGPIPE))

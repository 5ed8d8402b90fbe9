# expect: timeout
# limits: wall_time_ms=500
# max-wall-ms: 2000
# Ignoring SIGTERM (and SIGINT, SIGHUP) must not help: the wall limit kills with SIGKILL.
import signal

for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
while True:
    pass

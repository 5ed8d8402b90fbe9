# expect: syscall_denied
# stdout: calling ioctl(0, TIOCSTI)
# TIOCSTI pushes characters into a terminal's input queue: with a terminal shared with the
# worker it types commands into the worker's shell. The job has no terminal (new session, pipes),
# and the filter must deny the request outright.
import fcntl
import termios

print("calling ioctl(0, TIOCSTI)", flush=True)
fcntl.ioctl(0, termios.TIOCSTI, b"x")
print("came back", flush=True)
raise SystemExit(3)

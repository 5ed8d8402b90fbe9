# expect: error
# stdout: calling ioctl(0, TIOCSTI)
# stderr-contains: PermissionError: [Errno 1] Operation not permitted
# TIOCSTI pushes characters into a terminal's input queue: with a terminal shared with the
# worker it types commands into the worker's shell. The job has no terminal (new session, pipes),
# and the filter refuses the request outright with EPERM, as Linux itself does since 6.2 when
# legacy TIOCSTI is off (ioctl stays allowed for everything else; the program then raises).
import fcntl
import termios

print("calling ioctl(0, TIOCSTI)", flush=True)
fcntl.ioctl(0, termios.TIOCSTI, b"x")
print("came back: injected", flush=True)

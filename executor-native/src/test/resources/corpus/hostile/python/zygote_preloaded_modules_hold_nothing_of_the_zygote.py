# expect: ok
# stdout: no fd above 2
# stdout: no socket or file reachable from the import system
# A job forked from the zygote finds a finder of preloaded modules at the head of sys.meta_path
# (ZYGOTE.md): its own copy of the zygote's memory. It must lead nowhere the job could not go
# anyway: no fd is open but 0-2 (the zygote's listening socket and the launcher's pipes are
# closed), and nothing the finders hold, directly or through their closures, is a socket or an
# open file. On the other launch paths the same holds of their finders.
import io
import os
import socket
import sys

for fd in range(3, 256):
    try:
        os.fstat(fd)
    except OSError:
        continue
    print("fd", fd, "is open:", os.readlink(f"/proc/self/fd/{fd}"))
    break
else:
    print("no fd above 2")


def reachable(finder):
    seen = [finder]
    for method in ("find_spec", "create_module", "exec_module"):
        function = getattr(getattr(finder, method, None), "__func__", None)
        for cell in (function.__closure__ or ()) if function else ():
            value = cell.cell_contents
            seen.append(value)
            if isinstance(value, dict):
                seen.extend(value.values())
    return seen


held = [o for f in sys.meta_path for o in reachable(f)]
bad = [o for o in held if isinstance(o, (socket.socket, io.IOBase))]
print("no socket or file reachable from the import system" if not bad else f"reachable: {bad!r}")

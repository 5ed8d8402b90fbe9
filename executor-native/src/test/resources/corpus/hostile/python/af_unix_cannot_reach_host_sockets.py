# expect: ok
# stdout-not-contains: CONNECTED
# stdout-contains: /run/sandq-corpus-probe.sock: unreachable
# AF_UNIX sockets stay allowed (asyncio and multiprocessing use socketpair), but no host socket is
# reachable: /run is not in the root, and abstract names live in the network namespace, which is
# the job's own. The test harness listens on /run/sandq-corpus-probe.sock on the host and fails
# if anything connects to it.
import socket

targets = ["/run/sandq-corpus-probe.sock", "/var/run/docker.sock", "/run/containerd/containerd.sock",
           "/run/dbus/system_bus_socket", "/run/systemd/private", "/run/systemd/journal/socket",
           "/run/postgresql/.s.PGSQL.5432", "/tmp/.X11-unix/X0", "\0/org/freedesktop/systemd1/notify",
           "\0sandq-corpus-probe", "\0/tmp/.X11-unix/X0"]
for path in targets:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        print(f"{path!r}: CONNECTED".replace("'", ""))
    except OSError:
        print(f"{path!r}: unreachable".replace("'", ""))
    finally:
        s.close()
a, b = socket.socketpair()
a.sendall(b"ping")
print("socketpair works:", b.recv(4) == b"ping")

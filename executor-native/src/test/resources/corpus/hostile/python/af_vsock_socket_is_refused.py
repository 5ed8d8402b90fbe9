# expect: error
# stdout: calling socket(AF_VSOCK)
# stderr-contains: OSError: [Errno 97] Address family not supported by protocol
# vsock talks to the hypervisor or other VMs, outside any network namespace (CVE-2021-26708).
# The policy allows socket(2) for AF_UNIX only (AF_INET/AF_INET6/netlink route only with the
# network on) and answers every other family EAFNOSUPPORT: the socket is never created, and code
# that probes (glibc's getaddrinfo uses netlink, urllib3 probes IPv6 on import) fails softly.
import socket

print("calling socket(AF_VSOCK)", flush=True)
socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
print("came back: the socket was created", flush=True)
raise SystemExit(3)

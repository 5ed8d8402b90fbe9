# expect: error
# stdout: calling socket(AF_NETLINK, NETLINK_ROUTE)
# stderr-contains: OSError: [Errno 97] Address family not supported by protocol
# Netlink reaches routing, netfilter and other kernel subsystems (a rich source of CVEs); with the
# network off nothing needs it.
# The policy allows socket(2) for AF_UNIX only (AF_INET/AF_INET6/netlink route only with the
# network on) and answers every other family EAFNOSUPPORT: the socket is never created, and code
# that probes (glibc's getaddrinfo uses netlink, urllib3 probes IPv6 on import) fails softly.
import socket

print("calling socket(AF_NETLINK, NETLINK_ROUTE)", flush=True)
socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
print("came back: the socket was created", flush=True)
raise SystemExit(3)

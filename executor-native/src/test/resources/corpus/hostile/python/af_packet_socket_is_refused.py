# expect: error
# stdout: calling socket(AF_PACKET, SOCK_RAW)
# stderr-contains: OSError: [Errno 97] Address family not supported by protocol
# Raw packet sockets sniff and forge link-layer traffic; AF_PACKET has had several
# privilege-escalation bugs (CVE-2016-8655, CVE-2017-7308, CVE-2020-14386).
# The policy allows socket(2) for AF_UNIX only (AF_INET/AF_INET6/netlink route only with the
# network on) and answers every other family EAFNOSUPPORT: the socket is never created, and code
# that probes (glibc's getaddrinfo uses netlink, urllib3 probes IPv6 on import) fails softly.
import socket

print("calling socket(AF_PACKET, SOCK_RAW)", flush=True)
socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
print("came back: the socket was created", flush=True)
raise SystemExit(3)

# expect: syscall_denied
# stdout: calling socket(AF_PACKET, SOCK_RAW)
# Raw packet sockets sniff and forge link-layer traffic; AF_PACKET has had several
# privilege-escalation bugs (CVE-2016-8655, CVE-2017-7308, CVE-2020-14386).
import socket

print("calling socket(AF_PACKET, SOCK_RAW)", flush=True)
socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
print("came back", flush=True)
raise SystemExit(3)

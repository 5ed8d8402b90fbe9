# expect: syscall_denied
# stdout: calling socket(AF_NETLINK, NETLINK_ROUTE)
# Netlink reaches routing, netfilter and other kernel subsystems (a rich source of CVEs); with the
# network off nothing needs it.
import socket

print("calling socket(AF_NETLINK, NETLINK_ROUTE)", flush=True)
socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
print("came back", flush=True)
raise SystemExit(3)

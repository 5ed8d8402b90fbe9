# expect: syscall_denied
# stdout: calling socket(AF_VSOCK)
# vsock talks to the hypervisor or other VMs, outside any network namespace (CVE-2021-26708).
import socket

print("calling socket(AF_VSOCK)", flush=True)
socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
print("came back", flush=True)
raise SystemExit(3)

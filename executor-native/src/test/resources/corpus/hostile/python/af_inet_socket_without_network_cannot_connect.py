# expect: error
# stdout-not-contains: CONNECTED
# stderr-contains: Error: [Errno
# With the network off the job has an empty network namespace. socket(AF_INET/AF_INET6) itself
# must not kill the job (urllib3 opens one while requests is imported), but nothing can be
# reached: not the worker's loopback (Kafka on 9092), not the outside. The last attempt's
# exception ends the job.
import socket

for host, port in [("127.0.0.1", 9092), ("127.0.0.1", 22), ("10.0.0.1", 80), ("169.254.169.254", 80)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        print(f"{host}:{port} CONNECTED")
    except OSError as e:
        print(f"{host}:{port} unreachable ({type(e).__name__})")
try:
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.sendto(b"exfiltrate", ("8.8.8.8", 53))
    print("udp CONNECTED")
except OSError as e:
    print(f"udp unreachable ({type(e).__name__})")
socket.create_connection(("1.1.1.1", 443), timeout=1)

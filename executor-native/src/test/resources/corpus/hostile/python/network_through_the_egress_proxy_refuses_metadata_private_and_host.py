# expect: ok
# network: true
# A job with the network, as every job of Dify's asks for it, on a worker that allows it (as
# `sandq up` does by default): its only way out is the worker's egress proxy, whose standard
# policy refuses cloud metadata (IPv4, IPv6, IPv4 embedded in IPv6), the private ranges, the
# worker host's loopback and the unspecified address, however the job asks (requests, httpx,
# urllib, a CONNECT tunnel, the proxy's socket itself); a direct connection or a UDP datagram
# finds no route at all.
# stdout: requests metadata: 403 sandq egress: refused GET http://169.254.169.254:80: 169.254.169.254 is link-local (cloud metadata services live there)
# stdout: httpx metadata: 403
# stdout: urllib alibaba metadata: 403
# stdout: urllib aws ipv6 metadata: 403
# stdout: urllib ipv4-mapped metadata: 403
# stdout: urllib nat64 metadata: 403
# stdout: urllib 10/8: 403
# stdout: urllib 172.16/12: 403
# stdout: urllib 192.168/16: 403
# stdout: urllib 100.64/10: 403
# stdout: urllib host loopback: 403
# stdout: urllib host ipv6 loopback: 403
# stdout: urllib unspecified: 403
# stdout: tunnel metadata: OSError Tunnel connection failed: 403 Forbidden
# stdout: egress socket metadata: HTTP/1.1 403
# stdout: direct metadata: errno 101
# stdout: direct private: errno 101
# stdout: udp dns: errno 101
import http.client
import socket
import urllib.error
import urllib.request

import httpx
import requests


def urllib_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return str(r.status)
    except urllib.error.HTTPError as e:
        return str(e.code)
    except Exception as e:
        return type(e).__name__


r = requests.get("http://169.254.169.254/latest/meta-data/", timeout=10)
print("requests metadata:", r.status_code, r.text.strip())
print("httpx metadata:", httpx.get("http://169.254.169.254/latest/meta-data/", timeout=10).status_code)
for label, url in [("alibaba metadata", "http://100.100.100.200/latest/meta-data/"),
                   ("aws ipv6 metadata", "http://[fd00:ec2::254]/latest/meta-data/"),
                   ("ipv4-mapped metadata", "http://[::ffff:169.254.169.254]/latest/meta-data/"),
                   ("nat64 metadata", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/"),
                   ("10/8", "http://10.0.0.1/"),
                   ("172.16/12", "http://172.16.0.1/"),
                   ("192.168/16", "http://192.168.0.1/"),
                   ("100.64/10", "http://100.64.0.1/"),
                   ("host loopback", "http://127.0.0.1:9092/"),
                   ("host ipv6 loopback", "http://[::1]:22/"),
                   ("unspecified", "http://0.0.0.0/")]:
    print("urllib " + label + ":", urllib_status(url))

tunnel = http.client.HTTPConnection("127.0.0.1", 3128, timeout=10)
tunnel.set_tunnel("169.254.169.254", 80)
try:
    tunnel.request("GET", "/latest/meta-data/")
    print("tunnel metadata:", tunnel.getresponse().status)
except OSError as e:
    print("tunnel metadata:", type(e).__name__, str(e))

unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
unix.settimeout(10)
unix.connect("/run/sandq/egress.sock")
unix.sendall(b"GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n")
print("egress socket metadata:", unix.recv(4096).decode().split("\r\n")[0][:12])
unix.close()


def direct(host, port):
    try:
        socket.create_connection((host, port), timeout=3).close()
        return "connected"
    except OSError as e:
        return "errno " + str(e.errno)


print("direct metadata:", direct("169.254.169.254", 80))
print("direct private:", direct("10.0.0.1", 80))
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    udp.sendto(b"\x00", ("8.8.8.8", 53))
    print("udp dns: sent")
except OSError as e:
    print("udp dns: errno " + str(e.errno))

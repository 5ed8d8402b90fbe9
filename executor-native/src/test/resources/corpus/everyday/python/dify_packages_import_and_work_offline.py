# expect: ok
# stdout: httpx: GET http://example.org/search?q=sandq
# stdout: requests: GET http://example.org/search?q=sandq
# stdout: jinja2: Hello Dify! [1] [2]
# stdout: socks: SOCKS5 2
# stdout: socksio: ok
# What DifySandbox's image ships and Dify's users import (issue 14): httpx, requests, jinja2 and
# PySocks (module socks), installed by ops/install-deps from Debian's packages. Each is used a
# little without the network: a job without enable_network must be able to import and use them.
import httpx
import jinja2
import requests
import socks
import socksio

request = httpx.Request("GET", "http://example.org/search", params={"q": "sandq"})
print("httpx:", request.method, request.url)
with httpx.Client() as client:  # builds its transports and SSL context without connecting
    pass
prepared = requests.Request("GET", "http://example.org/search", params={"q": "sandq"}).prepare()
print("requests:", prepared.method, prepared.url)
print("jinja2:", jinja2.Template("Hello {{ name }}!{% for i in items %} [{{ i }}]{% endfor %}")
      .render(name="Dify", items=[1, 2]))
print("socks:", "SOCKS5", socks.SOCKS5)
print("socksio:", "ok" if socksio.socks5 else "missing")

# expect: ok
# stdout: c2FuZHE6IGhlbGxvLCB3b3JsZCE=
# stdout: sandq: hello, world!
# stdout: --8=
import base64

encoded = base64.b64encode(b"sandq: hello, world!").decode()
print(encoded)
print(base64.b64decode(encoded).decode())
print(base64.urlsafe_b64encode(b"\xfb\xef").decode())

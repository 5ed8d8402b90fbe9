# expect: ok
# stdout: 13 bytes in /tmp/notes/hello.txt
# stdout: hello, sandq
# stdout: ['hello.txt']
import os
import tempfile

os.makedirs("/tmp/notes", exist_ok=True)
with open("/tmp/notes/hello.txt", "w") as f:
    f.write("hello, sandq\n")
print(os.path.getsize("/tmp/notes/hello.txt"), "bytes in /tmp/notes/hello.txt")
with open("/tmp/notes/hello.txt") as f:
    print(f.read(), end="")
print(os.listdir("/tmp/notes"))
with tempfile.NamedTemporaryFile() as t:
    t.write(b"x")

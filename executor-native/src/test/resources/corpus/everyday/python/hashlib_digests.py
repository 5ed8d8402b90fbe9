# expect: ok
# stdout: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
# stdout: 900150983cd24fb0d6963f7d28e17f72
# stdout: 6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a
# stdout: 3b1cc42b18a74f87
import hashlib
import hmac

print(hashlib.sha256(b"abc").hexdigest())
print(hashlib.md5(b"abc").hexdigest())
print(hmac.new(b"key", b"message", hashlib.sha256).hexdigest())
print(hashlib.blake2b(b"sandq", digest_size=8).hexdigest())

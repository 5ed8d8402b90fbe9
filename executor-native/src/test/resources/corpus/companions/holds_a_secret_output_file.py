# expect: ok
# files: secret.txt
# files-truncated: false
# stdout: secret intact: True
# Not a case of its own: the companion of the output-file cases that aim at another job's files.
# It leaves a secret in its own output directory, signals that it is up (/tmp/sandq-companion-ready)
# and stays alive long enough for the case to run; its own result must hold its secret, untouched.
import os
import time

out = os.environ["SANDQ_OUTPUT_DIR"]
with open(out + "/secret.txt", "w") as f:
    f.write("sandq-companion-output-secret")
open("/tmp/sandq-companion-ready", "w").close()
time.sleep(2.5)
with open(out + "/secret.txt") as f:
    print("secret intact:", f.read() == "sandq-companion-output-secret")

# expect: error
# stderr-contains: FileNotFoundError
# subprocess with shell=True needs /bin/sh, which is not there.
import subprocess

subprocess.run("id; cat /etc/shadow", shell=True, check=True)

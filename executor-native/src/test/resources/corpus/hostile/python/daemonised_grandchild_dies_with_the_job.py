# expect: ok
# stdout: parent done
# stdout-not-contains: grandchild outlived
# Double fork + setsid: the grandchild is re-parented to the namespace's init and keeps stdout
# open, trying to outlive the job and write later. When the main process exits the whole PID
# namespace must go (the harness then checks that no process of the slot uid is left).
import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(100):
            time.sleep(0.05)
        print("grandchild outlived the job", flush=True)
        os._exit(0)
    os._exit(0)
os.wait()
print("parent done", flush=True)

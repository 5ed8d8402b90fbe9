# expect: timeout
# limits: wall_time_ms=500
# max-wall-ms: 1500
# Sleeping uses no CPU: only the wall clock can end it.
import time

time.sleep(60)
print("woke up")

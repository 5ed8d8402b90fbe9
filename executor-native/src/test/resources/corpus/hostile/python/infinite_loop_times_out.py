# expect: timeout
# limits: wall_time_ms=300
# max-wall-ms: 1500
while True:
    pass

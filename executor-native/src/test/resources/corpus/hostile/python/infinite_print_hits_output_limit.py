# expect: output_limit
# limits: max_output_bytes=65536
# stdout-length: 65536
while True:
    print("x" * 99)

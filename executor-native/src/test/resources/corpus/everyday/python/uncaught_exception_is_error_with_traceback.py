# expect: error
# stdout: before the exception
# stderr-contains: Traceback (most recent call last):
# stderr-contains: ValueError: sandq corpus: this exception is on purpose
def fail():
    raise ValueError("sandq corpus: this exception is on purpose")


print("before the exception", flush=True)
fail()

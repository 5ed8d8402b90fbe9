# expect: ok
# stdout: 4950
# stdout: [0, 1, 4, 9, 16, 25, 36, 49]
# stdout: 8000
import threading
from concurrent.futures import ThreadPoolExecutor

total = 0
lock = threading.Lock()


def add(n):
    global total
    with lock:
        total += n


threads = [threading.Thread(target=add, args=(i,)) for i in range(100)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total)

with ThreadPoolExecutor(max_workers=4) as pool:
    print(list(pool.map(lambda x: x * x, range(8))))

counter = [0]
barrier = threading.Barrier(8)


def work():
    barrier.wait()
    for _ in range(1000):
        with lock:
            counter[0] += 1


workers = [threading.Thread(target=work) for _ in range(8)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(counter[0])

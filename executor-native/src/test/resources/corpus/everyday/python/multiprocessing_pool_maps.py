# expect: ok
# stdout: [1, 4, 9]
# known-gap: multiprocessing's locks need POSIX semaphores in /dev/shm, which the sandbox root does not have (FileNotFoundError, status error)
import multiprocessing


def square(n):
    return n * n


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))

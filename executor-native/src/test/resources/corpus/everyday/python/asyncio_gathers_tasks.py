# expect: ok
# stdout: [1, 4, 9, 16, 25]
# stdout: timed out: True
# stdout: queue: ['a', 'b', 'c']
import asyncio


async def square(n):
    await asyncio.sleep(0.01 * (5 - n))
    return n * n


async def main():
    print(await asyncio.gather(*(square(n) for n in range(1, 6))))
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=0.05)
    except asyncio.TimeoutError:
        print("timed out:", True)
    queue = asyncio.Queue()

    async def producer():
        for item in "abc":
            await queue.put(item)
        await queue.put(None)

    async def consumer():
        seen = []
        while (item := await queue.get()) is not None:
            seen.append(item)
        return seen

    _, seen = await asyncio.gather(producer(), consumer())
    print("queue:", seen)


asyncio.run(main())

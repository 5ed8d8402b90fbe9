# expect: ok
# stdout: echo: b'ping'
# An asyncio server on a unix socket in the job's own /tmp, reached by the same job: no network,
# nothing outside the job (multiprocessing.Manager works the same way).
import asyncio


async def main():
    async def echo(reader, writer):
        writer.write(await reader.read(4))
        await writer.drain()
        writer.close()

    server = await asyncio.start_unix_server(echo, "/tmp/echo.sock")
    reader, writer = await asyncio.open_unix_connection("/tmp/echo.sock")
    writer.write(b"ping")
    print("echo:", await reader.read(4))
    writer.close()
    server.close()


asyncio.run(main())

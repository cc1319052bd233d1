"""Hold N live cart streams open against the event process, as N open browser tabs would.

`python bench/streams.py http://127.0.0.1:PORT 500` opens the streams (each its own guest
cart token, so no cap applies), prints `open N` once they all answered, keeps reading (the
heartbeats, any event), and on SIGTERM prints one JSON line of what it saw and exits.
"""

import asyncio
import json
import secrets
import signal
import sys
from urllib.parse import urlsplit


async def hold(host: str, port: int, stats: dict, ready: asyncio.Queue) -> None:
    token = secrets.token_urlsafe(32)
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(
            (
                "GET /api/v1/cart/events/ HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\nAccept: text/event-stream\r\n"
                f"X-Cart-Token: {token}\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        ok = b" 200 " in status
        await ready.put(ok)
        if not ok:
            stats["refused"] += 1
            return
        stats["open"] += 1
        while line := await reader.readline():
            if line.startswith(b": heartbeat"):
                stats["heartbeats"] += 1
            elif line.startswith(b"event: "):
                stats["events"] += 1
        stats["open"] -= 1
        stats["ended"] += 1
    except OSError:
        stats["errors"] += 1
        await ready.put(False)


async def main(url: str, count: int) -> None:
    parts = urlsplit(url)
    stats = {"open": 0, "refused": 0, "errors": 0, "ended": 0, "heartbeats": 0, "events": 0}
    ready: asyncio.Queue = asyncio.Queue()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    tasks = []
    for _ in range(count):  # in small batches, as tabs open, not one burst
        tasks.append(asyncio.create_task(hold(parts.hostname, parts.port, stats, ready)))
        if len(tasks) % 50 == 0:
            await asyncio.sleep(0.05)
    answered = [await ready.get() for _ in range(count)]
    print(f"open {sum(answered)}", flush=True)
    await stop.wait()
    print("STREAMS-JSON " + json.dumps(stats), flush=True)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))

"""The project under uvicorn in a thread of the test process: pages and live streams on one
address, as `make run` serves them, seeing the test database."""

import threading
import time

import uvicorn
from django.core.asgi import get_asgi_application
from django.db import connections

from shop.live import hub


class ThreadedASGIServer:
    def __init__(self) -> None:
        config = uvicorn.Config(
            get_asgi_application(),
            host="127.0.0.1",
            port=0,
            lifespan="off",
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = ""

    def start(self) -> "ThreadedASGIServer":
        # Each request's connection closes when it ends, so none outlives the test database.
        self._conn_max_age = connections.settings["default"].get("CONN_MAX_AGE", 0)
        connections.settings["default"]["CONN_MAX_AGE"] = 0
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        hub.shutdown_threadsafe()  # open streams end, so the server need not wait for them
        self.server.should_exit = True
        self.thread.join(10)
        connections.settings["default"]["CONN_MAX_AGE"] = self._conn_max_age


class EventStream:
    """A Server-Sent Events stream read as a client would: events, comments and ids."""

    def __init__(self, url: str, headers: dict | None = None, timeout: float = 5) -> None:
        import requests

        self.response = requests.get(url, headers=headers or {}, stream=True, timeout=timeout)
        self.status_code = self.response.status_code
        self._lines = self.response.iter_lines(decode_unicode=True)

    def next_block(self) -> dict:
        """The next event or comment block: {"event", "id", "data", "comments", "retry"}."""
        block: dict = {"comments": []}
        for line in self._lines:
            if line == "":
                if len(block) > 1 or block["comments"]:
                    return block
                continue
            field, _sep, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "":
                block["comments"].append(value)
            else:
                block[field] = value
        raise EOFError("the stream ended")

    def next_event(self) -> dict:
        """The next `event:` block, skipping comments (the heartbeat, the greeting)."""
        while True:
            block = self.next_block()
            if "event" in block:
                return block

    def close(self) -> None:
        self.response.close()

"""Servers that fail the way the fault tests found: frozen (alive, never answering) or gone."""

import socket
import threading
import time
from contextlib import contextmanager


class FrozenServer:
    """A TCP server that accepts every connection and never sends a byte back, like a Redis
    or broker process stopped with SIGSTOP behind a live kernel."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            self.accepted.append(conn)

    def close(self) -> None:
        """Thaw it as a dead process would: every connection is closed."""
        self._listener.close()
        for conn in self.accepted:
            conn.close()


@contextmanager
def frozen_server():
    server = FrozenServer()
    try:
        yield server
    finally:
        server.close()


def dead_redis_url() -> str:
    """The address of a port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def timed(work, *, give_up_after: float = 60):
    """Run `work()` in a thread; return (its result or exception, seconds it took).

    A call that hangs is abandoned after `give_up_after` seconds, so a test that finds a hang
    fails instead of hanging the suite (the frozen server's close later frees the thread)."""
    outcome: dict = {}

    def run():
        from django.db import connection

        try:
            outcome["result"] = work()
        except BaseException as exc:  # reported to the caller
            outcome["result"] = exc
        finally:
            connection.close()

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(give_up_after)
    return outcome.get("result"), time.monotonic() - started


def forget_broker_connections() -> None:
    """Drop the sender's cached broker connections, so a changed broker_url takes effect."""
    from kombu import pools as kombu_pools

    from config.celery_app import app

    kombu_pools.reset()  # kombu keeps producer pools by broker address, process-wide
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str):
    """Send tasks to the broker at `url` (not eagerly) inside the block."""
    from config.celery_app import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    forget_broker_connections()
    try:
        yield app
    finally:
        forget_broker_connections()
        app.conf.update(saved)

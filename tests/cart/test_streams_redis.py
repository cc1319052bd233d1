"""Two event processes (uvicorn, on two ports) share one cart's events through Redis, and a
stopped one ends its streams cleanly."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from cart import services
from tests.asgi_server import EventStream
from tests.factories import VariantFactory
from tests.helpers import database_url, guest_cart

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_redis(settings):
    """This test's own key prefix on the test Redis, for the test process and its servers."""
    settings.LIVE_REDIS_URL = settings.TEST_REDIS_URL
    settings.LIVE_KEY_PREFIX = f"test-live-{uuid.uuid4().hex[:8]}:"
    return settings.LIVE_KEY_PREFIX


@pytest.fixture
def event_processes(live_redis, settings):
    """Two uvicorn processes of the project on the test database and the test Redis."""
    connection.close()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "TEST_LIVE_REDIS_URL": settings.TEST_REDIS_URL,
        "TEST_LIVE_KEY_PREFIX": live_redis,
    }
    servers = []
    for port in (_free_port(), _free_port()):
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
        command += ["--port", str(port), "--lifespan", "off", "--timeout-graceful-shutdown", "5"]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        servers.append((process, f"http://127.0.0.1:{port}", port))
    for process, _url, port in servers:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(process.stdout.read())
                time.sleep(0.2)
    yield [(process, url) for process, url, _port in servers]
    for process, _url, _port in servers:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def test_two_event_processes_hear_one_change_and_a_stopped_one_ends_its_streams(
    event_processes,
):
    variant = VariantFactory(stock_on_hand=20)
    owner = guest_cart((variant, 1))
    headers = {"X-Cart-Token": owner.token}
    (first, first_url), (_second, second_url) = event_processes
    streams = [
        EventStream(url + "/api/v1/cart/events/", headers) for url in (first_url, second_url)
    ]
    for stream in streams:
        assert stream.status_code == 200
        stream.next_block()

    services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=2, source="test")

    heard = [stream.next_event() for stream in streams]
    assert [json.loads(event["data"]) for event in heard] == [{"version": 3, "total_items": 3}] * 2
    assert heard[0]["id"] == heard[1]["id"]  # one event, one id, whichever process says it

    started = time.monotonic()
    first.send_signal(signal.SIGTERM)
    goodbye = streams[0].next_block()
    assert goodbye["comments"] == ["server restarting"]
    with pytest.raises(EOFError):
        streams[0].next_block()
    first.wait(timeout=10)  # uvicorn stops, then re-raises SIGTERM to exit as it asked
    assert "Finished server process" in first.stdout.read()
    assert time.monotonic() - started < 5  # it did not wait out its graceful timeout

    # A client that reconnects elsewhere with the last id it saw gets what it missed.
    services.cart_add_line(owner=owner, variant_id=variant.pk, source="test")
    streams[1].close()
    resumed = EventStream(
        second_url + "/api/v1/cart/events/", {**headers, "Last-Event-ID": heard[0]["id"]}
    )
    try:
        assert json.loads(resumed.next_event()["data"])["total_items"] == 4
    finally:
        resumed.close()

"""`manage.py smoke` against the shop served by gunicorn, as it runs in production."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from shop.models import User
from tests.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_shop(shipping_methods, settings):
    """The demo shop on gunicorn (2 workers), on the test database."""
    settings.DEBUG = True  # the README's demo logins, as `make run` makes them
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    connection.close()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if server.poll() is not None:
                pytest.fail(server.stdout.read())
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", env
    server.terminate()
    server.wait(timeout=20)


def smoke(base_url: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "smoke", "--base-url", base_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_smoke_check_passes_against_gunicorn(gunicorn_shop):
    base_url, env = gunicorn_shop

    result = smoke(base_url, env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   add to cart (page)" in result.stdout
    assert "ok   change quantity (API)" in result.stdout
    assert "Smoke check passed" in result.stdout


def test_the_smoke_check_fails_on_a_non_2xx(gunicorn_shop):
    base_url, env = gunicorn_shop
    User.objects.filter(email="shopper@example.com").delete()  # the demo login will fail

    result = smoke(base_url, env)

    assert result.returncode != 0
    assert "FAIL log in" in result.stderr

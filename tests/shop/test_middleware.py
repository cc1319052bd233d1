"""Requests too long for the shop: a 400 it words itself (problem+json under /api/), never
gunicorn's bare HTML page."""

import http.client
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_a_too_long_query_string_is_a_400_problem_under_the_api_and_a_page_elsewhere(
    client, settings
):
    settings.MAX_QUERY_STRING_BYTES = 4096
    too_long = "é" * 1500  # 3,000 characters, 9,000 bytes once percent-encoded

    api = client.get("/api/v1/products/", {"search": too_long})
    page = client.get("/products/", {"q": too_long})
    htmx = client.get("/products/", {"q": too_long}, headers={"HX-Request": "true"})
    just_fits = client.get("/products/", {"q": "a" * (4096 - len("q="))})

    assert api.status_code == 400
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "query_too_long"
    assert api.json()["status"] == 400
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert "too long" in page.text and page["X-Request-ID"] in page.text
    assert htmx.status_code == 400 and htmx["Content-Type"].startswith("text/plain")
    assert just_fits.status_code == 200


def _documented_gunicorn_command() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Running in production", 1)[1]
    [line] = re.findall(r"^\.venv/bin/gunicorn .*$", production, re.M)
    return shlex.split(line)[1:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_documented_gunicorn_command_lets_the_shop_answer_a_long_request_line():
    args = _documented_gunicorn_command()
    assert "--limit-request-line" in args
    assert "--limit-request-line" in (ROOT / "bench" / "run.py").read_text()
    # The documented command, on a free port with one worker.
    args = [a for a in args if not a.startswith("--bind=")]
    for option in ("--bind", "--workers", "--threads"):
        if option in args:
            del args[args.index(option) : args.index(option) + 2]
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *args, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{server.stdout.read()}")
                time.sleep(0.2)
        # 6,000 bytes of query: over gunicorn's default request line (4,094), over the shop's.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/v1/products/?search=" + "a" * 6000)
        response = conn.getresponse()
        body = response.read()
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert response.status == 400
    assert response.getheader("Content-Type") == "application/problem+json", body[:200]

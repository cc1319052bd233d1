"""`make run` as a newcomer meets it: what the README promises, where the shop is, its 404s."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOP_404 = "We can’t find that page"
TECHNICAL_404 = "Django tried these URL patterns"


def _local_env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": "sqlite:///:memory:",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_runserver_ends_its_start_up_output_with_where_the_shop_is():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=_local_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(server.stdout.readline, "")))
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(x.startswith("Open ") for x in lines):
            time.sleep(0.2)
        time.sleep(2)  # anything printed after it would show by now
    finally:
        server.terminate()
        server.wait(timeout=10)
        reader.join(timeout=10)

    printed = [line.rstrip("\n") for line in lines if line.strip()]
    assert printed[-1] == f"Open http://127.0.0.1:{port}", "".join(lines)
    assert any("Quit the server" in line for line in printed[:-1])


def test_local_settings_show_the_shops_404_page_unless_asked_for_the_technical_one():
    code = (
        "from django.conf import settings; "
        "print('shop.middleware.ShopNotFoundPageMiddleware' in settings.MIDDLEWARE, "
        "settings.DEBUG)"
    )

    def run(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=_local_env(**env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert run() == "True True"
    assert run(DEBUG_TECHNICAL_404="true") == "False True"


@pytest.fixture
def make_run_settings(settings, shipping_methods):
    """The settings `make run` has that matter here: DEBUG on, and local.py's middleware."""
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "shop.middleware.ShopNotFoundPageMiddleware"]
    return settings


@pytest.mark.parametrize(
    "path",
    ["/no-such-page/", "/products/no-such-product/", "/checkout/success/?order=NW-NOPE-NOPE"],
    ids=["no URL pattern", "no such product", "no such order"],
)
def test_under_make_run_a_missing_page_is_the_shops_own_404(client, make_run_settings, path):
    response = client.get(path)

    assert response.status_code == 404
    assert SHOP_404 in response.text
    assert TECHNICAL_404 not in response.text
    assert 'data-testid="cart-icon"' in response.text  # the shop's layout, header and all


def test_under_make_run_the_api_still_answers_404_in_problem_json(client, make_run_settings):
    response = client.get("/api/v1/products/no-such-product/")
    unrouted = client.get("/api/v1/no-such-thing/")

    assert response.status_code == unrouted.status_code == 404
    assert response["Content-Type"] == unrouted["Content-Type"] == "application/problem+json"


def test_under_make_run_a_missing_slash_still_redirects(client, make_run_settings):
    response = client.get("/cart")

    assert response.status_code == 301 and response.url == "/cart/"


def test_asked_for_it_debug_shows_djangos_technical_404(client, settings, db):
    settings.DEBUG = True

    assert TECHNICAL_404 in client.get("/no-such-page/").text


def test_the_readme_says_what_the_first_run_does_and_how_long_it_takes():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]

    assert "~3 s with `uv`" not in section  # what it said: the first run took 80 s
    assert re.search(r"first `make run` from a fresh clone takes about \*\*80 s\*\*", section)
    for step in ("install the locked dependencies", "migration", "demo catalog", "server"):
        assert step in section
    assert "`Open http://127.0.0.1:8000`" in section

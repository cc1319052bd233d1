"""Start-up as an operator meets it: real processes with the environment they would set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shop.models import User

ROOT = Path(__file__).resolve().parents[2]


def _django(settings_module: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_startup_fails_with_a_clear_message_without_secret_key_when_debug_is_off():
    result = _django("config.settings.production", {}, "check")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "required when DEBUG is off" in result.stderr


def test_production_settings_start_once_secret_key_is_set():
    result = _django(
        "config.settings.production",
        {"SECRET_KEY": "x" * 60, "DATABASE_URL": "sqlite:///:memory:"},
        "check",
    )

    assert result.returncode == 0, result.stderr


def test_development_settings_run_without_a_secret_key():
    result = _django("config.settings.local", {"DATABASE_URL": "sqlite:///:memory:"}, "check")

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_createsuperuser_noinput_reads_email_and_password_from_the_environment(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Boss@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-unusual-passphrase")

    call_command("createsuperuser", "--noinput", verbosity=0)

    boss = User.objects.get(email="boss@example.com")
    assert boss.is_superuser and boss.is_staff
    assert boss.check_password("a-long-unusual-passphrase")

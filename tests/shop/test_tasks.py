import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from checkout.tasks import order_confirmation_send_task
from shop.models import IdempotencyRecord
from shop.tasks import idempotency_records_purge_task
from tests.factories import VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """Fails the first time, like a mail server that is restarting."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures < 1:
            FlakyBackend.failures += 1
            raise smtplib.SMTPServerDisconnected("connection closed")
        return super().send_messages(messages)


def test_email_tasks_retry_when_mail_is_down(settings, shipping_methods):
    settings.EMAIL_BACKEND = "tests.shop.test_tasks.FlakyBackend"
    order = start(guest_cart((VariantFactory(), 1))).order

    # Run as Celery runs it in place (apply): the failure is retried, then the mail goes.
    result = order_confirmation_send_task.apply(args=[order.pk], throw=False)

    assert FlakyBackend.failures == 1
    assert result.state == "SUCCESS"
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
    assert order_confirmation_send_task.retry_backoff == 30
    assert smtplib.SMTPException in order_confirmation_send_task.autoretry_for


def test_the_beat_schedule_runs_every_job():
    from django.conf import settings

    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert schedule["checkout.tasks.orders_expire_due_task"] == 60
    assert {
        "recovery.tasks.carts_expire_idle_task",
        "recovery.tasks.carts_remind_abandoned_task",
        "shop.tasks.sessions_clear_expired_task",
        "shop.tasks.idempotency_records_purge_task",
    } <= set(schedule)


def test_old_idempotency_records_are_purged_and_a_second_run_does_nothing():
    IdempotencyRecord.objects.create(
        scope="s", key="old", fingerprint="f", created_at=timezone.now() - timedelta(days=2)
    )
    IdempotencyRecord.objects.create(scope="s", key="new", fingerprint="f")

    assert idempotency_records_purge_task.apply().get() == 1
    assert idempotency_records_purge_task.apply().get() == 0
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_tasks_are_acknowledged_late():
    from config.celery_app import app

    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_a_task_held_by_a_killed_worker_is_handed_out_again_within_minutes():
    from pathlib import Path

    from config.celery_app import app

    root = Path(__file__).resolve().parents[2]
    visibility = app.conf.broker_transport_options["visibility_timeout"]

    # Kombu's default is an hour; a few minutes, longer than any task takes.
    assert 120 <= visibility <= 30 * 60
    # A task waiting for its retry is held unacknowledged too: no retry may wait longer, or
    # the broker would hand the task out a second time meanwhile.
    app.loader.import_default_modules()
    for name, task in app.tasks.items():
        if name.startswith("celery.") or not getattr(task, "autoretry_for", ()):
            continue
        longest = (
            getattr(task, "retry_backoff_max", 600)  # Celery's default
            if getattr(task, "retry_backoff", False)
            else task.default_retry_delay
        )
        assert longest < visibility - 60, name
    assert "`BROKER_VISIBILITY_TIMEOUT_SECONDS`" in (root / "README.md").read_text()
    assert "\nBROKER_VISIBILITY_TIMEOUT_SECONDS=" in (root / ".env.example").read_text()

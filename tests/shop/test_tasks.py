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

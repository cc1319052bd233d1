"""Site-wide housekeeping tasks."""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from shop.models import IdempotencyRecord
from shop.notifications import email_confirmation_send
from shop.outbox import outbox_flush

logger = logging.getLogger(__name__)


def idempotency_records_purge() -> int:
    """Delete stored API answers older than IDEMPOTENCY_TTL_HOURS."""
    before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=before).delete()
    logger.info("Purged %d idempotency records", deleted)
    return deleted


def sessions_clear_expired() -> int:
    """Delete expired browser sessions (a guest's cart token goes with its session)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("Deleted %d expired sessions", deleted)
    return deleted


@shared_task
def sessions_clear_expired_task() -> int:
    """Delete expired browser sessions."""
    return sessions_clear_expired()


@shared_task
def idempotency_records_purge_task() -> int:
    """Forget API answers past their replay window."""
    return idempotency_records_purge()


@shared_task
def outbox_flush_task() -> int:
    """Send tasks the broker missed (it was down when their change committed)."""
    return outbox_flush()


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=10,
)
def email_confirmation_send_task(self, user_id: int, base_url: str) -> bool:
    """Email a new account the link that confirms its address, retrying while mail is down."""
    return email_confirmation_send(user_id=user_id, base_url=base_url)

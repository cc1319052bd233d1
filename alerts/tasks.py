"""Celery tasks for alerts: each calls one service; only transient failures retry."""

import smtplib

from celery import shared_task

from alerts import notifications, services
from shop.exceptions import EmailBeingSentError

MAIL_RETRY = {
    "autoretry_for": (
        smtplib.SMTPException,
        ConnectionError,
        TimeoutError,
        OSError,
        EmailBeingSentError,
    ),
    "retry_backoff": 30,
    "retry_backoff_max": 600,  # below the broker's visibility timeout
    "max_retries": 15,
}


@shared_task
def stock_alerts_notify_task(variant_ids: list[int] | None = None) -> int:
    """End the alerts of variants back in stock (all variants without ids) and queue their
    emails in batches."""
    return services.stock_alerts_notify(variant_ids=variant_ids)


@shared_task(bind=True, **MAIL_RETRY)
def stock_alerts_send_task(self, alert_ids: list[int]) -> int:
    """Email one batch of back-in-stock alerts, each once, retrying while mail is down."""
    return notifications.stock_alerts_send(alert_ids=alert_ids)


@shared_task(bind=True, **MAIL_RETRY)
def stock_alert_confirmation_send_task(self, alert_id: int) -> bool:
    """Email a guest the link confirming their back-in-stock alert."""
    return notifications.stock_alert_confirmation_send(alert_id=alert_id)


@shared_task
def price_drops_queue_task() -> int:
    """Queue today's price-drop email for each shopper whose wishlist has drops."""
    return services.price_drops_queue()


@shared_task(bind=True, **MAIL_RETRY)
def price_drop_digest_send_task(self, user_id: int, day: str) -> bool:
    """Email a shopper their wishlist's price drops, once for the day."""
    return notifications.price_drop_digest_send(user_id=user_id, day=day)

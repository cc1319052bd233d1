"""Celery tasks for carts: each calls one service; only transient failures retry."""

import smtplib

from celery import shared_task

from cart import notifications, retention


@shared_task
def carts_expire_idle_task() -> int:
    """Expire carts idle past their time to live, in batches."""
    return retention.carts_expire_idle().carts


@shared_task
def carts_remind_abandoned_task() -> int:
    """Record abandoned carts and queue one reminder each."""
    return retention.carts_remind_abandoned()


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def cart_reminder_send_task(self, cart_id: int) -> None:
    """Send one abandoned-cart reminder, retrying with backoff while mail is down."""
    notifications.cart_reminder_send(cart_id=cart_id)


@shared_task
def sessions_clear_expired_task() -> int:
    """Delete expired browser sessions."""
    return retention.sessions_clear_expired()

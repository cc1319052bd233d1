"""Celery tasks for carts left alone: each calls one service; only transient failures retry."""

import smtplib

from celery import shared_task

from recovery import notifications, services
from shop.exceptions import EmailBeingSentError


@shared_task
def carts_expire_idle_task() -> int:
    """Expire carts idle past their time to live, in batches."""
    return services.carts_expire_idle().carts


@shared_task
def carts_remind_abandoned_task() -> int:
    """Record abandoned carts and queue one reminder each."""
    return services.carts_remind_abandoned()


@shared_task(
    bind=True,
    autoretry_for=(
        smtplib.SMTPException,
        ConnectionError,
        TimeoutError,
        OSError,
        EmailBeingSentError,
    ),
    retry_backoff=30,
    retry_backoff_max=600,  # below the broker's visibility timeout; 15 tries span two hours
    max_retries=15,
)
def cart_reminder_send_task(self, cart_id: int) -> None:
    """Send a cart's abandoned-cart reminder once, retrying with backoff while mail is down."""
    notifications.cart_reminder_send(cart_id=cart_id)

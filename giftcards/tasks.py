"""Celery tasks: each takes ids and calls one service; only transient failures retry."""

import smtplib

from celery import shared_task

from giftcards import notifications
from shop.exceptions import EmailBeingSentError


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
    retry_backoff_max=600,
    max_retries=15,
)
def gift_card_send_task(self, card_id: int) -> None:
    """Email a bought gift card to its recipient once, retrying while mail is down."""
    notifications.gift_card_send(card_id=card_id)

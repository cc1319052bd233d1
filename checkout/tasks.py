"""Celery tasks: each takes ids and calls one service; only transient failures retry."""

import logging
import smtplib

from celery import Task, shared_task

from checkout import notifications, payments, services
from shop.exceptions import DomainError, EmailBeingSentError

logger = logging.getLogger(__name__)


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
def order_confirmation_send_task(self, order_id: int) -> None:
    """Send the order confirmation email once, retrying with backoff while mail is down."""
    notifications.order_confirmation_send(order_id=order_id)


@shared_task(
    bind=True,
    autoretry_for=(payments.PaymentProviderError,),
    retry_backoff=10,
    max_retries=6,
)
def payment_session_expire_task(self, session_id: str) -> None:
    """End a Checkout Session whose order was cancelled, so it can no longer be paid."""
    payments.session_expire(session_id)


class RefundTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """The refund failed for good (its retries ran out): record it, the money is still taken."""
        order_id = kwargs.get("order_id", args[0] if args else None)
        try:
            # The provider's own words (the cause) say more to staff than the shopper's message.
            reason = str(exc.__cause__ or exc)
            services.order_refund_failed(order_id=order_id, error=reason[:120])
        except DomainError:
            logger.exception("Refund task %s failed for an order we cannot find", task_id)


@shared_task(
    bind=True,
    base=RefundTask,
    autoretry_for=(payments.PaymentProviderError,),
    retry_backoff=30,
    max_retries=8,
)
def order_refund_task(self, order_id: int, note: str = "refunded") -> None:
    """Refund an order's payment (used when a payment arrives for stock already gone); when
    every retry has failed, the order is marked for staff (RefundTask.on_failure)."""
    services.order_refund(order_id=order_id, note=note)


@shared_task
def orders_expire_due_task() -> int:
    """Cancel orders whose payment time ran out, releasing their reserved stock."""
    count = services.orders_expire_due()
    logger.info("Expired %d unpaid orders and released their stock", count)
    return count

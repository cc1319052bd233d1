"""Celery tasks of the cart: each calls one service."""

import logging

from celery import shared_task

from cart import services

logger = logging.getLogger(__name__)


@shared_task
def shared_carts_purge_expired_task() -> int:
    """Delete shared carts whose link has expired."""
    deleted = services.shared_carts_purge_expired()
    logger.info("Deleted %d expired shared carts", deleted)
    return deleted

import logging
from datetime import timedelta

from django.db import connections

from shop.middleware import request_id_var
from shop.outbox import outbox_flush

logger = logging.getLogger(__name__)


def request_id_forget(sender, **kwargs) -> None:
    """After a request (and its log lines), lines belong to no request until the next one."""
    request_id_var.set("-")


def outbox_flush_at_worker_start(sender, **kwargs) -> None:
    """A worker that starts (often: the broker is back) sends what waits in the outbox now,
    rather than at beat's next minute."""
    try:
        outbox_flush(older_than=timedelta(0))
    except Exception:  # never keep the worker from starting
        logger.exception("Could not flush the outbox at worker start")
    finally:
        connections.close_all()  # the worker's main process keeps no database connection

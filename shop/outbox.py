"""Tasks that must not be lost: recorded with the change they follow, sent after it commits.

`task_send_after_commit` writes an OutboxTask row in the caller's transaction and tries to
send the task once it commits. Tasks are named by their registered name, so services never
import task modules (a task module imports its service, not the other way round). If the broker is down, the row stays; `outbox_flush` (every
minute, and at worker start) sends what is still waiting. Tasks must be idempotent: one may
be sent twice if a send and its bookkeeping are interrupted.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.celery_app import app
from shop.breaker import CircuitBreaker, breaker_for
from shop.models import OutboxTask

logger = logging.getLogger(__name__)


def task_send_after_commit(name: str, **kwargs) -> None:
    """Send the task registered as `name` with `kwargs` once the current transaction commits,
    surviving a broker outage."""
    record = OutboxTask.objects.create(name=name, kwargs=kwargs)
    transaction.on_commit(lambda: _dispatch_after_commit(record.pk, name, kwargs), robust=True)


def _broker_breaker() -> CircuitBreaker:
    return breaker_for("the Celery broker", app.conf.broker_url or "")


def _dispatch_after_commit(record_id: int, name: str, kwargs: dict) -> None:
    # The request waits for this send: at most the broker's timeouts (BROKER_TIMEOUT_SECONDS),
    # and not at all while the broker was just found away; the flush sends the row then.
    if not app.conf.task_always_eager and not _broker_breaker().allows():
        return
    _dispatch(record_id, name, kwargs)


def _task(name: str):
    """The registered task called `name`, loading the apps' task modules on first use."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks.get(name)


def _dispatch(record_id: int, name: str, kwargs: dict) -> bool:
    task = _task(name)
    if task is None:
        logger.error("Outbox task %s is not registered; left waiting", name)
        return False
    OutboxTask.objects.filter(pk=record_id).update(attempts=F("attempts") + 1)
    eager = app.conf.task_always_eager  # then the task itself runs here: no broker to judge
    try:
        task.apply_async(kwargs=kwargs)
    except Exception as exc:  # the broker (or its network) is down: the row waits for a flush
        if not eager:
            _broker_breaker().failed(exc)
        logger.warning("Could not send %s (will retry from the outbox): %s", name, exc)
        return False
    if not eager:
        _broker_breaker().succeeded()
    OutboxTask.objects.filter(pk=record_id).update(dispatched_at=timezone.now())
    return True


def outbox_flush(*, older_than: timedelta = timedelta(seconds=30), batch_size: int = 200) -> int:
    """Send tasks still waiting in the outbox; returns how many were sent."""
    waiting = OutboxTask.objects.filter(
        dispatched_at__isnull=True, created_at__lte=timezone.now() - older_than
    ).order_by("pk")[:batch_size]
    sent = 0
    for record in waiting:
        sent += _dispatch(record.pk, record.name, record.kwargs)
    if sent:
        logger.info("Sent %d waiting tasks from the outbox", sent)
    return sent

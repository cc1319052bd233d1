"""Tasks that must not be lost: recorded with the change they follow, sent after it commits.

`task_send_after_commit` writes an OutboxTask row in the caller's transaction and tries to
send the task once it commits. If the broker is down, the row stays; `outbox_flush` (every
minute, and at worker start) sends what is still waiting. Tasks must be idempotent: one may
be sent twice if a send and its bookkeeping are interrupted.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.celery_app import app
from shop.models import OutboxTask

logger = logging.getLogger(__name__)


def task_send_after_commit(task, **kwargs) -> None:
    """Send `task(**kwargs)` once the current transaction commits, surviving a broker outage."""
    record = OutboxTask.objects.create(name=task.name, kwargs=kwargs)
    transaction.on_commit(lambda: _dispatch(record.pk, task, kwargs), robust=True)


def _dispatch(record_id: int, task, kwargs: dict) -> bool:
    OutboxTask.objects.filter(pk=record_id).update(attempts=F("attempts") + 1)
    try:
        task.apply_async(kwargs=kwargs)
    except Exception as exc:  # the broker (or its network) is down: the row waits for a flush
        logger.warning("Could not send %s (will retry from the outbox): %s", task.name, exc)
        return False
    OutboxTask.objects.filter(pk=record_id).update(dispatched_at=timezone.now())
    return True


def outbox_flush(*, older_than: timedelta = timedelta(seconds=30), batch_size: int = 200) -> int:
    """Send tasks still waiting in the outbox; returns how many were sent."""
    waiting = OutboxTask.objects.filter(
        dispatched_at__isnull=True, created_at__lte=timezone.now() - older_than
    ).order_by("pk")[:batch_size]
    sent = 0
    for record in waiting:
        task = app.tasks.get(record.name)
        if task is None:
            logger.error("Outbox task %s is not registered; left waiting", record.name)
            continue
        sent += _dispatch(record.pk, task, record.kwargs)
    if sent:
        logger.info("Sent %d waiting tasks from the outbox", sent)
    return sent

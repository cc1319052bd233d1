"""Tasks that must not be lost: recorded with the change they follow, sent after it commits.

`task_send_after_commit` writes an OutboxTask row in the caller's transaction and tries to
send the task once it commits. Tasks are named by their registered name, so services never
import task modules (a task module imports its service, not the other way round). If the
broker is down, the row stays; `outbox_flush` (every minute, and at worker start: see
shop.receivers) sends what is still waiting. Every send claims its row first (`claimed_at`),
so a row is never sent twice while its first send may still be running. Tasks must still be
idempotent: one may be sent twice if a send succeeds and its process dies before recording it.

The request that committed waits for its send at most the broker's timeouts
(BROKER_TIMEOUT_SECONDS), once per outage: after a failed send the process's circuit breaker
skips sending for CIRCUIT_BREAKER_SECONDS and the rows wait for the flush.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.celery_app import app
from shop.breaker import CircuitBreaker, breaker_for
from shop.models import OutboxTask

logger = logging.getLogger(__name__)

# A send claims its row first, so no other send takes it meanwhile. Sends give up within the
# broker's timeouts, so a claim this old belongs to a send that died with its process: a
# flush takes the row over.
CLAIM_SECONDS = 120


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
    now = timezone.now()
    claimed = OutboxTask.objects.filter(
        _unclaimed(now), pk=record_id, dispatched_at__isnull=True
    ).update(claimed_at=now)
    if claimed:
        _send(record_id, name, kwargs)


def _unclaimed(now) -> Q:
    """Rows no send is working on: never claimed, given back, or claimed by a send that died."""
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_SECONDS))


def _release(record_ids: list[int]) -> None:
    OutboxTask.objects.filter(pk__in=record_ids, dispatched_at__isnull=True).update(
        claimed_at=None
    )


def _task(name: str):
    """The registered task called `name`, loading the apps' task modules on first use."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks.get(name)


def _send(record_id: int, name: str, kwargs: dict) -> str:
    """Publish the task of a row this process has claimed: "sent", "unknown" (no such task)
    or "failed" (the broker did not take it); the row is given back unless sent."""
    task = _task(name)
    if task is None:
        logger.error("Outbox task %s is not registered; the row is abandoned", name)
        OutboxTask.objects.filter(pk=record_id).update(abandoned_at=timezone.now())
        return "unknown"
    OutboxTask.objects.filter(pk=record_id).update(attempts=F("attempts") + 1)
    eager = app.conf.task_always_eager  # then the task itself runs here: no broker to judge
    try:
        task.apply_async(kwargs=kwargs)
    except Exception as exc:  # the broker (or its network) is down: the row waits for a flush
        if not eager:
            _broker_breaker().failed(exc)
        logger.warning("Could not send %s (will retry from the outbox): %s", name, exc)
        _release([record_id])
        return "failed"
    if not eager:
        _broker_breaker().succeeded()
    OutboxTask.objects.filter(pk=record_id).update(dispatched_at=timezone.now())
    return "sent"


@transaction.atomic
def _claim_waiting(*, older_than: timedelta, batch_size: int) -> list[OutboxTask]:
    """Claim a batch of waiting rows; rows another flush holds are skipped, not waited for."""
    now = timezone.now()
    rows = list(
        OutboxTask.objects.select_for_update(skip_locked=True)
        .filter(
            _unclaimed(now),
            dispatched_at__isnull=True,
            abandoned_at__isnull=True,
            created_at__lte=now - older_than,
        )
        .order_by("pk")[:batch_size]
    )
    OutboxTask.objects.filter(pk__in=[row.pk for row in rows]).update(claimed_at=now)
    return rows


def outbox_flush(*, older_than: timedelta = timedelta(seconds=30), batch_size: int = 200) -> int:
    """Send tasks still waiting in the outbox, each by one flush only; stop at the first the
    broker refuses (the rest wait for the next flush). Returns how many were sent."""
    claimed = _claim_waiting(older_than=older_than, batch_size=batch_size)
    sent = 0
    for index, record in enumerate(claimed):
        outcome = _send(record.pk, record.name, record.kwargs)
        if outcome == "failed":
            _release([later.pk for later in claimed[index + 1 :]])
            break
        sent += outcome == "sent"
    if sent:
        logger.info("Sent %d waiting tasks from the outbox", sent)
    return sent

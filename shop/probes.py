"""Liveness and readiness probes for load balancers and orchestrators."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Answer 200 while the process can serve requests at all."""
    return HttpResponse("ok", content_type="text/plain")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


# A part that does not answer within this is failing: the probe answers within its budget
# (about this much per part) even while the broker or Redis is frozen.
CHECK_TIMEOUT_SECONDS = 1


def _check_broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # no broker configured: tasks run in-process
    from config.celery_app import app

    timeouts = {
        "socket_timeout": CHECK_TIMEOUT_SECONDS,
        "socket_connect_timeout": CHECK_TIMEOUT_SECONDS,
    }
    with app.connection_for_write(
        connect_timeout=CHECK_TIMEOUT_SECONDS, transport_options=timeouts
    ) as conn:
        conn.ensure_connection(max_retries=0)


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
def readyz(request):
    """Answer 200 when the database, cache and broker all answer, else 503 naming the failures."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means not ready; the name says which part
            results[name] = f"error: {exc.__class__.__name__}"
        else:
            results[name] = "ok"
    failing = [name for name, result in results.items() if result != "ok"]
    status = 503 if failing else 200
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results},
        status=status,
    )

"""Liveness and readiness probes for load balancers and orchestrators."""

import ipaddress
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle


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


def _client_address(request) -> str | None:
    """The client's address as the rate limits see it (TRUSTED_PROXY_COUNT). None when a
    proxy the shop was not told about stands in between: its own address, loopback as like
    as not, says nothing about the client."""
    if not api_settings.NUM_PROXIES and "X-Forwarded-For" in request.headers:
        return None
    return BaseThrottle().get_ident(request)


def metrics_allowed(request) -> bool:
    """Whether a request may read /metrics: with `Authorization: Bearer <METRICS_TOKEN>`, or
    from a loopback address or one in METRICS_ALLOWED_IPS."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    token = settings.METRICS_TOKEN
    if token and scheme.lower() == "bearer" and constant_time_compare(credential.strip(), token):
        return True
    try:
        address = ipaddress.ip_address(_client_address(request) or "")
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:  # a dual-stack socket's IPv4 client
        address = address.ipv4_mapped
    return address.is_loopback or any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


@never_cache
def metrics(request):
    """django-prometheus's /metrics, for the scraper only: anyone else finds nothing here."""
    if not metrics_allowed(request):
        raise Http404("No such page")
    return ExportToDjangoView(request)

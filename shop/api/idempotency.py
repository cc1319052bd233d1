"""Idempotency-Key on POSTs: the first answer is stored and replayed for the same key and body.

The record is inserted in the same transaction that runs the request. A duplicate arriving
meanwhile blocks on PostgreSQL's unique index until the first commits, then replays its
answer; after `IDEMPOTENCY_WAIT_SECONDS` it gets 409 `request_in_progress` instead. A 5xx
rolls the record back with everything else, so the client may retry.
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.api.problems import problem_json_response
from shop.models import IdempotencyRecord

HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("Content-Type", "ETag", "X-Cart-Token", "Location")


def _digest(value: str | bytes) -> str:
    data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()


def idempotency_scope(request) -> str:
    """Who the key belongs to: the caller's credentials, else their cart token, else address."""
    if auth := request.META.get("HTTP_AUTHORIZATION"):
        return "auth:" + _digest(auth)[:48]
    if session := request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return "session:" + _digest(session)[:48]
    if cart := request.headers.get("X-Cart-Token"):
        return "cart:" + _digest(cart)[:48]
    return "addr:" + _digest(request.META.get("REMOTE_ADDR", ""))[:48]


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body or b""), status=record.status_code)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(scope: str, key: str, fingerprint: str) -> IdempotencyRecord | HttpResponse:
    """Insert the record, or answer from (or about) the one already there."""
    expired_before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__lt=expired_before).delete()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        [f"{settings.IDEMPOTENCY_WAIT_SECONDS}s"],
                    )
            return IdempotencyRecord.objects.create(scope=scope, key=key, fingerprint=fingerprint)
    except OperationalError:  # the first request still holds the key after the wait
        return problem_json_response(
            409, "request_in_progress", _("A request with this Idempotency-Key is still running.")
        )
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    finally:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
    if existing is None or existing.status_code is None:
        return problem_json_response(
            409, "request_in_progress", _("A request with this Idempotency-Key is still running.")
        )
    if existing.fingerprint != fingerprint:
        return problem_json_response(
            422,
            "idempotency_key_mismatch",
            _("This Idempotency-Key was used with another request body."),
        )
    return _replay(existing)


class IdempotentPostMixin:
    """For DRF views: honour Idempotency-Key on POST."""

    def dispatch(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return super().dispatch(request, *args, **kwargs)
        if not _KEY.match(key):
            return problem_json_response(
                400,
                "invalid_idempotency_key",
                _("Idempotency-Key must be 1 to 255 visible ASCII characters."),
            )
        fingerprint = _digest(f"{request.method} {request.path}\n".encode() + request.body)
        with transaction.atomic():
            claimed = _claim(idempotency_scope(request), key, fingerprint)
            if isinstance(claimed, HttpResponse):
                return claimed
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            claimed.status_code = response.status_code
            claimed.response_body = response.content
            claimed.response_headers = {
                name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
            }
            claimed.save(update_fields=["status_code", "response_body", "response_headers"])
        return response

"""Idempotency-Key on POSTs: the first answer is stored and replayed for the same key and body.

The key is claimed first, in a transaction of its own, and the request then runs as it would
without the header: its services keep their own transactions, so none is stretched around a
call to Stripe. The answer is stored when the request ends. A duplicate arriving meanwhile
waits up to `IDEMPOTENCY_WAIT_SECONDS` for that answer and replays it, else gets 409
`request_in_progress`. A 5xx or an exception gives the key up, so the client may retry.
"""

import hashlib
import re
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.api.problems import problem_json_response
from shop.models import IdempotencyRecord

HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("Content-Type", "ETag", "X-Cart-Token", "Location")
_POLL_SECONDS = 0.05


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
    """Claim the key, or answer from (or about) the request that holds it."""
    expired_before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__lt=expired_before).delete()
    deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is not None and existing.fingerprint != fingerprint:
            return problem_json_response(
                422,
                "idempotency_key_mismatch",
                _("This Idempotency-Key was used with another request body."),
            )
        if existing is not None and existing.status_code is not None:
            return _replay(existing)
        if time.monotonic() >= deadline:
            return problem_json_response(
                409,
                "request_in_progress",
                _("A request with this Idempotency-Key is still running."),
            )
        time.sleep(_POLL_SECONDS)  # the first is still running, or just gave the key up


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
        claimed = _claim(idempotency_scope(request), key, fingerprint)
        if isinstance(claimed, HttpResponse):
            return claimed
        try:
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        except BaseException:
            claimed.delete()
            raise
        if response.status_code >= 500:
            claimed.delete()
            return response
        claimed.status_code = response.status_code
        claimed.response_body = response.content
        claimed.response_headers = {
            name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
        }
        claimed.save(update_fields=["status_code", "response_body", "response_headers"])
        return response

"""Idempotency-Key on POSTs: the first answer is stored and replayed for the same key and body.

A key belongs to its caller: a signed-in caller's credential, else a guest's cart token. A
guest without a cart token has nothing that tells them apart from anyone else behind the
same address, so their write runs as if it had no key, and an answer that hands out a cart
token the caller did not send (a first write) is never stored either: no one else is ever
given that cart. Nor is an answer that carries a credential (a login's token).

The key is claimed once the caller is authenticated and within their limits, in a
transaction of its own, and the request then runs as it would without the header: its
services keep their own transactions, so none is stretched around a call to Stripe. The
answer is stored when the request ends. A duplicate arriving meanwhile waits up to
`IDEMPOTENCY_WAIT_SECONDS` for that answer and replays it, else gets 409
`request_in_progress`. A 5xx, a 429 or an exception gives the key up, so the client may
retry; a claim older than `IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS` (its worker was killed) is
taken over by the retry, and the overtaken request, should it still end, keeps out.
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
CART_TOKEN_HEADER = "X-Cart-Token"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("Content-Type", "ETag", "X-Cart-Token", "Location")
_POLL_SECONDS = 0.05


def _digest(value: str | bytes) -> str:
    data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()


def idempotency_scope(request) -> str | None:
    """Whose key this is: the signed-in caller's credential, else the guest's cart token.

    `request` is DRF's, after authentication. None for a guest without a cart token: such a
    request is never stored, so never replayed to anyone.
    """
    user = request.user
    if user is not None and user.is_authenticated:
        if request.auth is not None:
            credential = request.META.get("HTTP_AUTHORIZATION", "")
        else:
            credential = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        return f"user:{user.pk}:" + _digest(credential)[:48]
    if cart_token := request.headers.get(CART_TOKEN_HEADER):
        return "cart:" + _digest(cart_token)[:48]
    return None


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body or b""), status=record.status_code)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _is_abandoned(record: IdempotencyRecord) -> bool:
    """Whether a running claim is older than any request may run: its worker is gone."""
    timeout = timedelta(seconds=settings.IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS)
    return record.status_code is None and record.created_at < timezone.now() - timeout


def _take_over(record: IdempotencyRecord) -> bool:
    """Claim an abandoned key for this request; of retries racing for it, only one wins."""
    claimed_at = timezone.now()
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, status_code__isnull=True, created_at=record.created_at
    ).update(created_at=claimed_at)
    record.created_at = claimed_at
    return taken == 1


def _still_ours(claim: IdempotencyRecord):
    """The claim's row while this request still holds it (not taken over, not answered)."""
    return IdempotencyRecord.objects.filter(
        pk=claim.pk, status_code__isnull=True, created_at=claim.created_at
    )


def idempotency_claim(scope: str, key: str, fingerprint: str) -> IdempotencyRecord | HttpResponse:
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
        if existing is not None and _is_abandoned(existing) and _take_over(existing):
            return existing
        if time.monotonic() >= deadline:
            return problem_json_response(
                409,
                "request_in_progress",
                _("A request with this Idempotency-Key is still running."),
            )
        time.sleep(_POLL_SECONDS)  # the first is still running, or just gave the key up


def _is_kept(request, response) -> bool:
    """Whether the answer may be replayed: not a failure worth retrying, and not a first
    write, whose new cart token belongs to this caller alone."""
    if response.status_code >= 500 or response.status_code == 429:
        return False
    handed_out = response.get(CART_TOKEN_HEADER)
    return handed_out is None or handed_out == request.headers.get(CART_TOKEN_HEADER)


def idempotency_release(claim: IdempotencyRecord) -> None:
    """Give the key up (the request failed), so that a retry runs afresh."""
    _still_ours(claim).delete()


def idempotency_settle(
    claim: IdempotencyRecord, request, response, headers: tuple[str, ...] = REPLAYED_HEADERS
) -> None:
    """Store the answer and its `headers` for replay, or give the key up; a claim taken over
    is left alone."""
    if not _is_kept(request, response):
        idempotency_release(claim)
        return
    _still_ours(claim).update(
        status_code=response.status_code,
        response_body=response.content,
        response_headers={name: response[name] for name in headers if response.has_header(name)},
    )


class _Answered(Exception):
    """The key's claim answered the request (a replay, 409 or 422): the view does not run."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


class IdempotentPostMixin:
    """For DRF views: honour Idempotency-Key on POST.

    A view whose answer carries a credential sets `idempotency_stores_answers = False`: the
    header is still checked, but every call runs afresh and nothing of it is stored.
    """

    idempotency_stores_answers = True

    def dispatch(self, request, *args, **kwargs):
        self._idempotency = self._idempotency_claim = None
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
        self._idempotency = (key, fingerprint)
        try:
            response = super().dispatch(request, *args, **kwargs)
            if self._idempotency_claim is not None and hasattr(response, "render"):
                response.render()
        except BaseException:
            if self._idempotency_claim is not None:
                idempotency_release(self._idempotency_claim)
            raise
        if self._idempotency_claim is not None:
            idempotency_settle(self._idempotency_claim, request, response)
        return response

    def initial(self, request, *args, **kwargs):
        """After authentication, permissions and rate limits, claim the key for the caller."""
        super().initial(request, *args, **kwargs)
        if self._idempotency is None or not self.idempotency_stores_answers:
            return
        scope = idempotency_scope(request)
        if scope is None:
            return
        claimed = idempotency_claim(scope, *self._idempotency)
        if isinstance(claimed, HttpResponse):
            raise _Answered(claimed)
        self._idempotency_claim = claimed

    def handle_exception(self, exc):
        if isinstance(exc, _Answered):
            return exc.response
        return super().handle_exception(exc)

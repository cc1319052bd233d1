"""One-time keys on the HTML forms that change a cart: the forms' Idempotency-Key.

Every such form carries a fresh random key (`{% form_key %}`); the first answer to a post
with it is stored, with the API's machinery (shop/api/idempotency.py), and a repeat of the
same post by the same shopper (a double submit, or a send repeated after its answer was
lost) gets that answer again instead of changing anything twice. The key counts together
with what the form sent, so a form posted again with other values is a new change.

A key belongs to its shopper: their account, else their session. A guest without a session
yet, or a post without a key (a page rendered before keys existed), runs as it always did.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shop.api.idempotency import idempotency_claim, idempotency_release, idempotency_settle

FIELD = "form_key"
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# What an answer to a form needs to be the same answer again: where it sends the browser, and
# what htmx does with it (the events it triggers, where it swaps).
REPLAYED_HEADERS = (
    "Content-Type",
    "Location",
    "HX-Trigger",
    "HX-Trigger-After-Swap",
    "HX-Trigger-After-Settle",
    "HX-Redirect",
    "HX-Location",
    "HX-Refresh",
    "HX-Retarget",
    "HX-Reswap",
)
# Not part of what a form says: the CSRF token is masked afresh on every page.
_IGNORED_FIELDS = {FIELD, "csrfmiddlewaretoken"}


def form_key_new() -> str:
    """A fresh one-time key for a form."""
    return secrets.token_urlsafe(24)


def _scope(request: HttpRequest) -> str | None:
    """Whose key this is: the signed-in shopper, else the guest's session (None: no session)."""
    if request.user.is_authenticated:
        return f"form:user:{request.user.pk}"
    session_key = request.session.session_key
    if not session_key:
        return None
    return "form:session:" + hashlib.sha256(session_key.encode()).hexdigest()[:48]


def _fingerprint(request: HttpRequest) -> str:
    fields = sorted(
        (name, values) for name, values in request.POST.lists() if name not in _IGNORED_FIELDS
    )
    sent = f"{request.path}\n" + urlencode(fields, doseq=True)
    return hashlib.sha256(sent.encode("utf-8", "surrogateescape")).hexdigest()


def _still_running() -> HttpResponse:
    """The same send arrived while the first is still running (and outlasted the wait)."""
    message = _("Your last change is still being saved. Please wait a moment.")
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def once_per_form_key(view: Callable) -> Callable:
    """Apply a form post once per key and shopper; a repeat answers as the first did."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        scope = _scope(request) if _KEY.match(key) else None
        if scope is None:
            return view(request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        claim = idempotency_claim(scope, f"{key}:{fingerprint}", fingerprint)
        if isinstance(claim, HttpResponse):
            # A stored answer, or 409 while the first send is still running.
            return _still_running() if claim.status_code == 409 else claim
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            idempotency_release(claim)
            raise
        idempotency_settle(claim, request, response, headers=REPLAYED_HEADERS)
        return response

    return wrapper

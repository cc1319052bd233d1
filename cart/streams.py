"""The live cart streams (Server-Sent Events): `/events/` for pages, `GET /api/v1/cart/events/`
for API clients, served by the ASGI event process (uvicorn). The view itself is an ordinary
one (it reads the session or token); the stream it returns is an async generator that the
event loop runs, so an open stream costs a few kilobytes there, no thread and no database
connection, and never holds a worker that serves pages."""

from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.exceptions import AuthenticationFailed

from cart.api.owners import guest_cart_token
from cart.live import EVENT, cart_live_channel
from cart.web import SESSION_CART_TOKEN
from shop.api.authentication import ApiTokenAuthentication
from shop.live import StreamSlot, live_stream


def _page_channel(request: HttpRequest) -> str | None:
    if request.user.is_authenticated:
        return cart_live_channel(user_id=request.user.pk)
    return cart_live_channel(token=request.session.get(SESSION_CART_TOKEN))


def _api_channel(request: HttpRequest) -> str | None:
    """A token's user, else the guest cart X-Cart-Token names; raises AuthenticationFailed on
    a bad token."""
    found = ApiTokenAuthentication().authenticate(request)
    if found is not None:
        return cart_live_channel(user_id=found[0].pk)
    if request.user.is_authenticated:  # the browser's session, as the rest of the API allows
        return cart_live_channel(user_id=request.user.pk)
    return cart_live_channel(token=guest_cart_token(request))


def _no_stream_here(request: HttpRequest) -> HttpResponse | None:
    """A page server (gunicorn, WSGI) never holds a stream: it answers 204 at once, and the
    browser stops asking (the page revalidates when its tab comes back into view)."""
    if isinstance(request, ASGIRequest):
        return None
    response = HttpResponse(status=204)
    response["Cache-Control"] = "private, no-store"
    return response


def _stream(request: HttpRequest, channel: str) -> HttpResponse:
    # The lookups are done: let the database connection go, for a stream stays open for hours
    # and must not keep a PostgreSQL connection all that time.
    connections.close_all()
    slot = StreamSlot(channel)
    if not slot.take():
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": _("Too many open streams"),
                "status": 429,
                "code": "too_many_streams",
                "detail": _("Close another tab or window of this shop and try again."),
            },
            status=429,
            content_type="application/problem+json",
        )
        response["Retry-After"] = "30"
        return response
    response = StreamingHttpResponse(
        live_stream(
            channel=channel,
            event=EVENT,
            last_event_id=request.headers.get("Last-Event-ID", ""),
            slot=slot,
        ),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


@require_GET
def cart_events(request: HttpRequest) -> HttpResponse:
    """The page's stream of its cart owner's changes. A guest without a cart has nothing to
    hear yet: 204 (the browser stops asking; the page opens it again after its first add)."""
    if (refused := _no_stream_here(request)) is not None:
        return refused
    channel = _page_channel(request)
    if channel is None:
        return HttpResponse(status=204)
    return _stream(request, channel)


@require_GET
def cart_events_api(request: HttpRequest) -> HttpResponse:
    """`GET /api/v1/cart/events/`: the caller's cart changes as `event: cart`, data
    `{version, total_items}`; a token's user, or the guest cart of `X-Cart-Token`."""
    if (refused := _no_stream_here(request)) is not None:
        return refused
    try:
        channel = _api_channel(request)
    except AuthenticationFailed as exc:
        return JsonResponse(
            {
                "type": "about:blank",
                "title": str(exc.detail),
                "status": 401,
                "code": "authentication_failed",
            },
            status=401,
            content_type="application/problem+json",
        )
    if channel is None:
        return JsonResponse(
            {
                "type": "about:blank",
                "title": _("Name your cart"),
                "status": 401,
                "code": "not_authenticated",
                "detail": _("Send your token, or the guest cart's X-Cart-Token."),
            },
            status=401,
            content_type="application/problem+json",
        )
    return _stream(request, channel)

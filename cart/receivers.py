"""The cart's receivers of signals from the floors below."""

from django.contrib import messages

from cart.api.owners import guest_cart_token
from cart.services import cart_merge
from cart.web import SESSION_CART_TOKEN, forget_guest_cart, request_source


def guest_cart_merge_at_login(sender, request, user, **kwargs) -> None:
    """Fold the guest cart a login came with into the user's cart: a browser's (kept in its
    session) or an API client's (`X-Cart-Token` on the token request).

    A browser is told what happened with a message; for the API the result is left on the
    request as `cart_merge`, for the token response."""
    if request is None:
        return
    api_token = guest_cart_token(request)
    session = getattr(request, "session", None)
    session_token = session.get(SESSION_CART_TOKEN) if session is not None else None
    if not api_token and not session_token:
        return
    result = cart_merge(
        user=user,
        guest_token=api_token or session_token,
        source="api" if api_token else request_source(request),
    )
    if session_token:
        forget_guest_cart(request)
    request.cart_merge = result
    if result.changed and result.message and not api_token:
        messages.info(request, result.message)

"""How HTML requests name their cart: the user's, or the guest token kept in the session."""

from django.http import HttpRequest

from cart.selectors import CartOwner, CartSummary, cart_item_count, cart_summary

SESSION_CART_TOKEN = "cart_token"


def cart_owner(request: HttpRequest) -> CartOwner:
    """The cart owner behind a browser request."""
    if request.user.is_authenticated:
        return CartOwner(user=request.user)
    return CartOwner(token=request.session.get(SESSION_CART_TOKEN))


def request_source(request: HttpRequest) -> str:
    return "htmx" if getattr(request, "htmx", False) else "web"


def request_cart_summary(request: HttpRequest) -> CartSummary:
    """The request's cart summary, read once per request."""
    if not hasattr(request, "_cart_summary"):
        request._cart_summary = cart_summary(owner=cart_owner(request))
    return request._cart_summary


def request_cart_count(request: HttpRequest) -> int:
    """The header badge's number: from the summary when this request read one, else counted."""
    if hasattr(request, "_cart_summary"):
        return request._cart_summary.total_items
    return cart_item_count(owner=cart_owner(request))


def remember_cart(request: HttpRequest, summary: CartSummary) -> None:
    """Keep a guest's (possibly new) cart token in the session; a user's cart needs none."""
    request._cart_summary = summary
    if request.user.is_authenticated or not summary.token:
        return
    if request.session.get(SESSION_CART_TOKEN) != summary.token:
        request.session[SESSION_CART_TOKEN] = summary.token


def remember_guest_token(request: HttpRequest, token: str | None) -> None:
    """Keep the cart token a guest's wishlist change made or used (a user's needs none)."""
    if (
        token
        and not request.user.is_authenticated
        and request.session.get(SESSION_CART_TOKEN) != token
    ):
        request.session[SESSION_CART_TOKEN] = token


def forget_guest_cart(request: HttpRequest) -> str | None:
    """Drop the guest cart token from the session, returning it (for a merge at login)."""
    return request.session.pop(SESSION_CART_TOKEN, None)

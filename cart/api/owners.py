"""How API requests name their cart: the user's, or the guest cart in X-Cart-Token."""

import re

from cart.selectors import CartOwner

# Tokens are made by secrets.token_urlsafe(32); anything else cannot name a cart.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def guest_cart_token(request) -> str | None:
    """The request's X-Cart-Token when it is well formed, else None (a fresh cart)."""
    token = request.headers.get("X-Cart-Token", "")
    return token if _TOKEN.match(token) else None


def api_cart_owner(request) -> CartOwner:
    if request.user.is_authenticated:
        return CartOwner(user=request.user)
    return CartOwner(token=guest_cart_token(request))

"""The cart's receivers of signals from the floors below."""

from django.contrib import messages

from cart.api.owners import guest_cart_token
from cart.live import carts_live_announce_variant
from cart.services import cart_merge
from cart.web import SESSION_CART_TOKEN, forget_guest_cart, request_source


def guest_cart_merge_at_login(sender, request, user, api: bool = False, **kwargs) -> None:
    """Fold the guest cart a login came with into the user's cart.

    A browser login (the login page, signup) merges the cart kept in its session and says
    what happened with a message. An API login (`api=True`, sent by the token endpoint)
    merges only the cart its `X-Cart-Token` names and leaves the session alone: the result is
    left on the request as `cart_merge`, for the token response."""
    if request is None:
        return
    if api:
        token = guest_cart_token(request)
    else:
        session = getattr(request, "session", None)
        token = session.get(SESSION_CART_TOKEN) if session is not None else None
    if not token:
        return
    result = cart_merge(
        user=user, guest_token=token, source="api" if api else request_source(request)
    )
    request.cart_merge = result
    if api:
        return
    forget_guest_cart(request)
    if result.changed and result.message:
        messages.info(request, result.message, fail_silently=True)


def variant_changed_tell_carts(sender, instance, created: bool, update_fields=None, **kwargs):
    """A variant's price, stock or sale status changed (staff in admin, the staff API, a stock
    sync): the carts holding it show new notices, so tell their owners' open pages. A save
    naming only other fields changes nothing a cart shows."""
    if created:
        return
    if update_fields is not None and not {"price", "stock_on_hand", "status"} & set(update_fields):
        return
    carts_live_announce_variant(variant_id=instance.pk)

from django.utils.functional import SimpleLazyObject

from cart.selectors import wishlist_count, wishlist_variant_ids
from cart.web import cart_owner, request_cart_count


def header_cart(request) -> dict:
    """Give the header its cart badge and wishlist count, and product hearts whether they
    are pressed, each counted only if a template shows it.

    The mini cart's lines are loaded when it is first opened (cart:mini), so ordinary pages
    pay for one small query, not the whole cart."""
    return {
        "header_cart_count": SimpleLazyObject(lambda: request_cart_count(request)),
        "header_wishlist_count": SimpleLazyObject(
            lambda: wishlist_count(owner=cart_owner(request))
        ),
        "wished_variant_ids": SimpleLazyObject(
            lambda: wishlist_variant_ids(owner=cart_owner(request))
        ),
    }

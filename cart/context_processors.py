from django.utils.functional import SimpleLazyObject

from cart.web import request_cart_count


def header_cart(request) -> dict:
    """Give the header its cart badge, counted only if a template shows it.

    The mini cart's lines are loaded when it is first opened (cart:mini), so ordinary pages
    pay for one small query, not the whole cart."""
    return {"header_cart_count": SimpleLazyObject(lambda: request_cart_count(request))}

from django.utils.functional import SimpleLazyObject

from cart.web import request_cart_summary


def header_cart(request) -> dict:
    """Give the header its cart, read only if a template shows it."""
    return {"header_cart": SimpleLazyObject(lambda: request_cart_summary(request))}

from django.conf import settings

from catalog.selectors import category_list


def shop(request) -> dict:
    """Give every page the shop's name and the header's categories."""
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "nav_categories": category_list,  # called only by templates that show it
        "max_line_quantity": settings.CART_MAX_LINE_QUANTITY,
        "prices_include_tax": settings.PRICES_INCLUDE_TAX,
        "reservation_minutes": settings.RESERVATION_TTL_MINUTES,
    }

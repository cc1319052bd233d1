from django.conf import settings


def shop(request) -> dict:
    """Give every page the shop's name and the settings its templates show."""
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "max_line_quantity": settings.CART_MAX_LINE_QUANTITY,
        "prices_include_tax": settings.PRICES_INCLUDE_TAX,
        "reservation_minutes": settings.RESERVATION_TTL_MINUTES,
    }

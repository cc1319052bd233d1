from django.utils.translation import gettext_lazy

from shop.exceptions import DomainError


class VariantInStockError(DomainError):
    """An alert asked for a variant that can be bought right now."""

    code = "variant_in_stock"
    http_status = 409
    default_message = gettext_lazy("Good news: this item is in stock now. Add it to your cart.")


class StockAlertLinkError(DomainError):
    code = "stock_alert_link_invalid"
    http_status = 404
    default_message = gettext_lazy(
        "This confirmation link is not valid any more. Ask for the alert again on the product page."
    )

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.exceptions import DomainError
from shop.money import format_money


class CartEmptyError(DomainError):
    code = "cart_empty"
    default_message = gettext_lazy("Your cart is empty: add something before checking out.")


class CartInvalidError(DomainError):
    http_status = 409
    code = "cart_invalid"
    default_message = gettext_lazy(
        "Some items in your cart need your attention before you can check out."
    )


class ShippingMethodError(DomainError):
    field = "shipping_method"
    code = "invalid_shipping_method"
    default_message = gettext_lazy("Please choose one of the shipping methods offered.")


class PromoCodeError(DomainError):
    field = "promo_code"
    code = "invalid_promo_code"


class TotalChangedError(DomainError):
    http_status = 409
    code = "total_changed"

    def __init__(self, total, currency: str) -> None:
        super().__init__(
            _(
                "Prices changed since you last looked: the total is now %(total)s. "
                "Please confirm to continue."
            )
            % {"total": format_money(total, currency)},
            total=str(total),
        )


class OrderNotFoundError(DomainError):
    http_status = 404
    code = "order_not_found"
    default_message = gettext_lazy("No such order.")


class OrderStateError(DomainError):
    http_status = 409
    code = "order_state"
    default_message = gettext_lazy("The order cannot do that in its current state.")


class CheckoutExpiredError(DomainError):
    http_status = 409
    code = "checkout_expired"
    default_message = gettext_lazy(
        "This checkout has expired; your cart is still there to try again."
    )

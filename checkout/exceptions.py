from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


class GuestHoldLimitError(DomainError):
    """A guest's checkouts would hold more than CHECKOUT_HOLD_MAX_UNITS units."""

    http_status = 409
    code = "guest_hold_limit"

    def __init__(self, limit: int, held: int = 0) -> None:
        if held:
            message = ngettext(
                "Without an account you can hold at most %(limit)d item at checkout, and your "
                "other checkouts already hold %(held)d. Log in, or lower the quantities.",
                "Without an account you can hold at most %(limit)d items at checkout, and your "
                "other checkouts already hold %(held)d. Log in, or lower the quantities.",
                limit,
            )
        else:
            message = ngettext(
                "Without an account you can hold at most %(limit)d item at checkout. Log in, "
                "or lower the quantities.",
                "Without an account you can hold at most %(limit)d items at checkout. Log in, "
                "or lower the quantities.",
                limit,
            )
        super().__init__(message % {"limit": limit, "held": held})


class GuestCheckoutsLimitError(DomainError):
    """A guest already has CHECKOUT_MAX_OPEN checkouts waiting for payment."""

    http_status = 409
    code = "guest_checkouts_limit"

    def __init__(self, limit: int) -> None:
        message = ngettext(
            "Without an account you can have at most %(limit)d checkout open at a time. Pay "
            "for or cancel the one you started, wait for it to expire, or log in.",
            "Without an account you can have at most %(limit)d checkouts open at a time. Pay "
            "for or cancel one you started, wait for it to expire, or log in.",
            limit,
        )
        super().__init__(message % {"limit": limit})

"""What the cart refuses, each with a stable code for the API and a message for shoppers."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.availability import Refusal
from shop.exceptions import DomainError


class CartError(DomainError):
    code = "cart_error"


class VariantNotFoundError(CartError):
    code = "variant_not_found"
    default_message = gettext_lazy("Sorry, this item is no longer available.")


class LineNotFoundError(CartError):
    code = "line_not_found"
    default_message = gettext_lazy("That item is no longer in your cart.")


class VariantChoiceRequiredError(CartError):
    code = "variant_required"
    default_message = gettext_lazy("Please choose an option before adding to cart.")


class InvalidQuantityError(CartError):
    code = "invalid_quantity"
    default_message = gettext_lazy("Please enter a quantity of at least 1.")


class QuantityAboveMaximumError(CartError):
    code = "quantity_above_maximum"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("You can have at most %(max)d of one item in your cart.") % {"max": maximum},
            maximum=maximum,
        )


class CartFullError(CartError):
    code = "cart_full"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("Your cart can hold at most %(max)d different items.") % {"max": maximum},
            maximum=maximum,
        )


class PurchaseRefusedError(CartError):
    """The stock or the catalog says no: out of stock, too few left, or no longer sold."""

    def __init__(self, refusal: Refusal, *, variant_id: int | None = None) -> None:
        self.code = refusal.code
        self.refusal = refusal
        super().__init__(refusal.message, available_stock=refusal.available, variant_id=variant_id)

    @property
    def available_stock(self) -> int:
        return self.refusal.available


class CartVersionMismatchError(CartError):
    code = "cart_version_mismatch"
    default_message = gettext_lazy(
        "The cart changed since you last saw it. Reload it and try again."
    )


class CartNotFoundError(CartError):
    code = "cart_not_found"
    default_message = gettext_lazy("No open cart has that token.")

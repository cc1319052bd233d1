"""What the cart refuses, each with a stable code for the API and a message for shoppers."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.exceptions import LinePropertyError, VariantNotFoundError
from inventory.exceptions import PurchaseRefusedError
from shop.exceptions import DomainError

# Raised by cart services too; named here so callers find every cart refusal in one place.
__all__ = [
    "CartError",
    "CartFullError",
    "CartNotFoundError",
    "CartNoteInvalidError",
    "CartNoteTooLongError",
    "CartVersionMismatchError",
    "InvalidQuantityError",
    "LineNotFoundError",
    "LinePropertyError",
    "PurchaseRefusedError",
    "QuantityAboveMaximumError",
    "SavedItemNotFoundError",
    "SavedItemsFullError",
    "SharedCartEmptyError",
    "SharedCartNotFoundError",
    "VariantChoiceRequiredError",
    "VariantNotFoundError",
    "WishlistFullError",
    "WishlistItemNotFoundError",
]


class CartError(DomainError):
    code = "cart_error"


class LineNotFoundError(CartError):
    http_status = 404
    code = "line_not_found"
    default_message = gettext_lazy("That item is no longer in your cart.")


class VariantChoiceRequiredError(CartError):
    code = "variant_required"
    default_message = gettext_lazy("Please choose an option before adding to cart.")


class InvalidQuantityError(CartError):
    field = "quantity"
    code = "invalid_quantity"
    default_message = gettext_lazy("Please enter a quantity of at least 1.")


class QuantityAboveMaximumError(CartError):
    field = "quantity"
    code = "quantity_above_maximum"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("You can have at most %(max)d of one item in your cart.") % {"max": maximum},
            maximum=maximum,
        )


class CartFullError(CartError):
    http_status = 409
    code = "cart_full"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("Your cart can hold at most %(max)d different items.") % {"max": maximum},
            maximum=maximum,
        )


class CartVersionMismatchError(CartError):
    http_status = 412
    code = "cart_version_mismatch"
    default_message = gettext_lazy(
        "The cart changed since you last saw it. Reload it and try again."
    )


class CartNotFoundError(CartError):
    http_status = 404
    code = "cart_not_found"
    default_message = gettext_lazy("No open cart has that token.")


class CartNoteInvalidError(CartError):
    field = "note"
    code = "invalid_note"
    default_message = gettext_lazy("Your note may only hold text.")


class CartNoteTooLongError(CartError):
    field = "note"
    code = "note_too_long"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("Your note can be at most %(max)d characters.") % {"max": maximum},
            maximum=maximum,
        )


class SharedCartNotFoundError(CartError):
    http_status = 404
    code = "shared_cart_not_found"
    default_message = gettext_lazy("This shared cart link is unknown or has expired.")


class SharedCartEmptyError(CartError):
    http_status = 409
    code = "cart_empty"
    default_message = gettext_lazy("Your cart is empty: add something before sharing it.")


class SavedItemNotFoundError(CartError):
    http_status = 404
    code = "saved_item_not_found"
    default_message = gettext_lazy("That item is no longer in your saved items.")


class SavedItemsFullError(CartError):
    http_status = 409
    code = "saved_items_full"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("You can save at most %(max)d items for later.") % {"max": maximum},
            maximum=maximum,
        )


class WishlistItemNotFoundError(CartError):
    http_status = 404
    code = "wishlist_item_not_found"
    default_message = gettext_lazy("That item is no longer on your wishlist.")


class WishlistFullError(CartError):
    http_status = 409
    code = "wishlist_full"

    def __init__(self, maximum: int) -> None:
        super().__init__(
            _("Your wishlist can hold at most %(max)d items.") % {"max": maximum},
            maximum=maximum,
        )

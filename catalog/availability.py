"""May this quantity be bought, and if not, why: the catalog's one stock rule."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Product, Variant


@dataclass(frozen=True)
class StockStatus:
    code: str  # in_stock | low_stock | out_of_stock | unavailable
    label: str

    @property
    def can_buy(self) -> bool:
        return self.code in {"in_stock", "low_stock"}


def is_sellable(variant: Variant) -> bool:
    """Answer whether the variant is on sale at all: it and its product are active."""
    return (
        variant.status == Variant.Status.ACTIVE and variant.product.status == Product.Status.ACTIVE
    )


def stock_status(*, variant: Variant, available: int) -> StockStatus:
    """Describe availability as the shopper reads it: "In stock", "Only 3 left", "Out of stock"."""
    if not is_sellable(variant):
        return StockStatus("unavailable", _("No longer available"))
    if available <= 0:
        return StockStatus("out_of_stock", _("Out of stock"))
    if available <= settings.LOW_STOCK_THRESHOLD:
        return StockStatus(
            "low_stock",
            ngettext("Only %(n)d left", "Only %(n)d left", available) % {"n": available},
        )
    return StockStatus("in_stock", _("In stock"))


@dataclass(frozen=True)
class Refusal:
    """Why a quantity may not be bought: `code` for machines, `message` for shoppers."""

    code: str  # unavailable | out_of_stock | insufficient_stock
    message: str
    available: int


def only_left_message(available: int) -> str:
    return ngettext("Only %(n)d left in stock", "Only %(n)d left in stock", available) % {
        "n": available
    }


def purchase_permitted(
    *, variant: Variant | None, available: int, quantity: int
) -> tuple[bool, Refusal | None]:
    """Answer whether `quantity` of the variant may be held in a cart, and if not, why.

    `variant` is None when it was deleted after being put in a cart.
    """
    if variant is None or not is_sellable(variant):
        return False, Refusal("unavailable", _("Sorry, this item is no longer available."), 0)
    if available <= 0:
        return False, Refusal("out_of_stock", _("Sorry, this item is out of stock."), 0)
    if quantity > available:
        return False, Refusal("insufficient_stock", only_left_message(available), available)
    return True, None

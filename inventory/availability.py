"""May this quantity be bought, and if not, why: the shop's one stock rule.

Answers `(allowed, reason)` like django-oscar's partner/availability.py, from a variant and
what is left of it (stock on hand minus active reservations, see inventory/selectors.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Variant
from catalog.selectors import is_sellable


@dataclass(frozen=True)
class StockStatus:
    code: str  # in_stock | low_stock | out_of_stock | unavailable
    label: str

    @property
    def can_buy(self) -> bool:
        return self.code in {"in_stock", "low_stock"}


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


def stock_refusal(available: int) -> Refusal:
    """Why a quantity above what is left was refused: out of stock, or only so many left."""
    left = max(0, available)
    if left <= 0:
        return Refusal("out_of_stock", _("Sorry, this item is out of stock."), 0)
    return Refusal("insufficient_stock", only_left_message(left), left)


def purchase_permitted(
    *, variant: Variant | None, available: int, quantity: int
) -> tuple[bool, Refusal | None]:
    """Answer whether `quantity` of the variant may be held in a cart, and if not, why.

    `variant` is None when it was deleted after being put in a cart.
    """
    if variant is None or not is_sellable(variant):
        return False, Refusal("unavailable", _("Sorry, this item is no longer available."), 0)
    if available <= 0 or quantity > available:
        return False, stock_refusal(available)
    return True, None

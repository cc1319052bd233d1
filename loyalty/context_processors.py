from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import SimpleLazyObject

from loyalty.selectors import points_balance
from loyalty.services import points_value


@dataclass(frozen=True)
class PointsToSpend:
    balance: int
    value: Decimal


def points_to_spend(request) -> dict:
    """Give pages (the checkout's points field) the shopper's points to spend and their worth,
    read only if a template shows them."""

    def load() -> PointsToSpend:
        balance = points_balance(user=getattr(request, "user", None))
        return PointsToSpend(balance=balance, value=points_value(balance))

    return {"points_to_spend": SimpleLazyObject(load)}

"""Loyalty's row locks: points accounts, one per shopper. The shop's one lock order is in
shop/locks.py."""

from loyalty.models import PointsAccount


def lock_account(*, user_id: int) -> PointsAccount:
    """Lock the shopper's points account, opening it first if they have none."""
    PointsAccount.objects.get_or_create(user_id=user_id)
    return PointsAccount.objects.select_for_update().get(user_id=user_id)

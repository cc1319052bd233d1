"""Orders and accounts: orders placed as a guest join the account of a confirmed email."""

from django.utils import timezone

from checkout.models import Order


def guest_orders_attach(*, user) -> int:
    """Give `user` the orders placed as a guest with their email (in any case), once that email
    is confirmed; returns how many joined. Orders of another account never move."""
    if not user.email_confirmed:
        return 0
    return Order.objects.filter(user__isnull=True, email__iexact=user.email).update(
        user=user, updated_at=timezone.now()
    )

"""Reads of orders."""

from django.db.models import QuerySet

from checkout.models import Order


def order_list_for(*, user) -> QuerySet[Order]:
    """A shopper's orders, newest first: every order but checkouts that ended unpaid."""
    return Order.objects.filter(user=user).exclude(
        status=Order.Status.CANCELLED, paid_at__isnull=True
    )

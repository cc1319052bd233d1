"""Reads of orders."""

from django.db.models import Q, QuerySet

from checkout.models import Order


def order_list_for(*, user) -> QuerySet[Order]:
    """A shopper's orders, newest first: every order but checkouts that ended unpaid."""
    return Order.objects.filter(user=user).exclude(
        status=Order.Status.CANCELLED, paid_at__isnull=True
    )


def orders_refund_failed() -> QuerySet[Order]:
    """Orders whose refund ran out of retries and still hold the shopper's money, oldest first."""
    return Order.objects.filter(
        Q(refund_failed_at__isnull=False) & ~Q(status=Order.Status.REFUNDED)
    ).order_by("refund_failed_at", "pk")


def orders_promo_over_limit() -> QuerySet[Order]:
    """Orders paid late with a promo code beyond its limits, not yet reviewed, oldest first."""
    return Order.objects.filter(promo_over_limit=True).order_by("paid_at", "pk")

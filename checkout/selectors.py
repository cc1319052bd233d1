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


def _may_name_a_row(value: str, max_length: int) -> bool:
    """Whether a value from a URL can name a row at all: PostgreSQL refuses text with NUL."""
    return bool(value) and len(value) <= max_length and "\x00" not in value


def order_by_number(*, number: str, orders: QuerySet[Order] | None = None) -> Order | None:
    """The order (among `orders`, default all) with this number; None for no such order."""
    if not _may_name_a_row(number, Order._meta.get_field("number").max_length):
        return None
    return (Order.objects.all() if orders is None else orders).filter(number=number).first()


def order_by_payment_session(*, session_id: str) -> Order | None:
    """The order paid through this payment session; None for no such order."""
    field = Order._meta.get_field("payment_session_id")
    if not _may_name_a_row(session_id, field.max_length):
        return None
    return Order.objects.filter(payment_session_id=session_id).first()

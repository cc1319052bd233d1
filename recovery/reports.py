"""Reads for staff: the shop's funnel over a period, and orders to reconcile with Stripe."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from cart.models import Cart, CartEvent
from checkout import payments
from checkout.models import Order
from checkout.selectors import orders_promo_over_limit, orders_refund_failed
from checkout.services import session_mismatch


@dataclass(frozen=True)
class FunnelDay:
    day: date
    carts_created: int
    checkouts_started: int
    orders_paid: int


@dataclass(frozen=True)
class FunnelReport:
    start: date
    end: date
    carts_created: int
    carts_with_items: int
    checkouts_started: int
    orders_paid: int
    reminders_sent: int
    carts_recovered: int
    days: list[FunnelDay] = field(default_factory=list)
    # Shared carts: links made (by shoppers and staff), opened, and added to a cart.
    carts_shared: int = 0
    shared_carts_opened: int = 0
    shared_carts_added: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def abandonment_rate(self) -> float | None:
        """Carts that got an item but no paid order, out of carts that got an item."""
        if not self.carts_with_items:
            return None
        return max(0.0, 1 - self.orders_paid / self.carts_with_items)

    @property
    def checkout_abandonment_rate(self) -> float | None:
        if not self.checkouts_started:
            return None
        return max(0.0, 1 - self.orders_paid / self.checkouts_started)

    @property
    def recovery_rate(self) -> float | None:
        """Reminded carts that came back (by the link or by paying), out of reminders sent."""
        return self._share(self.carts_recovered, self.reminders_sent)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _per_day(queryset, field_name: str, distinct: str | None = None) -> dict[date, int]:
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = queryset.annotate(day=TruncDate(field_name)).values("day").annotate(n=counted)
    return {row["day"]: row["n"] for row in rows}


def funnel_report(*, start: date, end: date) -> FunnelReport:
    """Carts created, checkouts started, orders paid, abandonment and recovery, per day;
    shared carts made, opened and added to a cart."""
    since, until = _bounds(start, end)
    carts = Cart.objects.filter(created_at__gte=since, created_at__lt=until)
    events = CartEvent.objects.filter(created_at__gte=since, created_at__lt=until)
    checkouts = events.filter(type=CartEvent.Type.CHECKOUT_STARTED)
    paid = Order.objects.filter(paid_at__gte=since, paid_at__lt=until)
    # A cart gets items by an add or by adding a shared cart.
    with_items = carts.filter(
        Exists(
            CartEvent.objects.filter(
                cart=OuterRef("pk"),
                type__in=[CartEvent.Type.ITEM_ADDED, CartEvent.Type.SHARED_CART_ADDED],
            )
        )
    )
    shared_counts = dict(
        events.filter(
            type__in=[
                CartEvent.Type.CART_SHARED,
                CartEvent.Type.SHARED_CART_OPENED,
                CartEvent.Type.SHARED_CART_ADDED,
            ]
        )
        .order_by()
        .values_list("type")
        .annotate(n=Count("pk"))
    )
    created_by_day = _per_day(carts, "created_at")
    checkouts_by_day = _per_day(checkouts, "created_at", distinct="cart")
    paid_by_day = _per_day(paid, "paid_at")
    days = [
        FunnelDay(
            day=day,
            carts_created=created_by_day.get(day, 0),
            checkouts_started=checkouts_by_day.get(day, 0),
            orders_paid=paid_by_day.get(day, 0),
        )
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
    ]
    return FunnelReport(
        start=start,
        end=end,
        carts_created=carts.count(),
        carts_with_items=with_items.count(),
        checkouts_started=checkouts.values("cart").distinct().count(),
        orders_paid=paid.count(),
        reminders_sent=events.filter(
            type=CartEvent.Type.CART_ABANDONED, payload__change__reminder="sent"
        ).count(),
        carts_recovered=events.filter(type=CartEvent.Type.CART_RECOVERED)
        .values("cart")
        .distinct()
        .count(),
        days=days,
        carts_shared=shared_counts.get(CartEvent.Type.CART_SHARED, 0),
        shared_carts_opened=shared_counts.get(CartEvent.Type.SHARED_CART_OPENED, 0),
        shared_carts_added=shared_counts.get(CartEvent.Type.SHARED_CART_ADDED, 0),
    )


@dataclass(frozen=True)
class Mismatch:
    order: Order
    provider_state: str
    problem: str
    # Whether "Apply" (ask the provider again) settles it; other rows name the admin action.
    can_apply: bool = True


def orders_to_reconcile(*, limit: int = 50) -> list[Mismatch]:
    """Orders whose refund failed for good (the money is still taken), orders paid late with a
    promo code beyond its limits, then orders waiting for payment whose payment session says
    otherwise (paid or expired), or whose time ran out without the job catching them. Asks
    Stripe for each waiting one (at most `limit`)."""
    now = timezone.now()
    found = [
        Mismatch(
            order,
            "refund failed",
            "Refund failed after every retry: the money is still taken. "
            "Retry it with the order list's “Retry refund” action.",
            can_apply=False,
        )
        for order in orders_refund_failed()[:limit]
    ]
    found += [
        Mismatch(
            order,
            "paid",
            f"Paid late with promo code {order.promo_code} beyond its limits; the sale was "
            "kept. Review it, then untick “promo over limit” on the order.",
            can_apply=False,
        )
        for order in orders_promo_over_limit()[:limit]
    ]
    for order in Order.objects.filter(status=Order.Status.PENDING_PAYMENT).order_by("created_at")[
        :limit
    ]:
        try:
            state = (
                payments.session_state(order.payment_session_id)
                if order.payment_session_id
                else None
            )
        except payments.PaymentProviderError:
            found.append(Mismatch(order, "unreachable", "Stripe did not answer"))
            continue
        paid_otherwise = (
            session_mismatch(session=state, order=order)
            if state is not None and state.is_paid
            else None
        )
        if paid_otherwise:
            found.append(
                Mismatch(
                    order,
                    f"{state.status}/{state.payment_status}",
                    f"paid at Stripe, but {paid_otherwise}",
                    can_apply=False,
                )
            )
        elif state is not None and state.is_paid:
            found.append(
                Mismatch(
                    order, f"{state.status}/{state.payment_status}", "paid at Stripe, not here"
                )
            )
        elif state is not None and state.status == "expired":
            found.append(Mismatch(order, state.status, "expired at Stripe, still waiting here"))
        elif order.expires_at <= now:
            found.append(
                Mismatch(order, state.status if state else "local", "past its payment time")
            )
    return found

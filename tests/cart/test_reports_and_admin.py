from datetime import timedelta

import pytest
from django.utils import timezone

from cart.models import CartEvent
from checkout import services
from checkout.models import Order
from inventory.models import StockReservation
from recovery.reports import funnel_report
from tests.factories import CartFactory, CartLineFactory, StaffFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_week(shipping_methods):
    """Four carts with items, three checkouts, two paid orders, two reminders, one recovery."""
    variant = VariantFactory(stock_on_hand=100)
    owners = [guest_cart((variant, 1)) for _ in range(4)]
    CartFactory()  # a cart that never got an item
    orders = [start(owner, email=f"s{i}@example.com").order for i, owner in enumerate(owners[:3])]
    for order in orders[:2]:
        services.order_mark_paid(order_id=order.pk)
    events = [
        CartEvent(type="cart_abandoned", payload={"change": {"reminder": "sent"}}),
        CartEvent(type="cart_abandoned", payload={"change": {"reminder": "sent"}}),
        CartEvent(type="cart_abandoned", payload={"change": {"reminder": "skipped"}}),
        CartEvent(type="cart_recovered", cart=orders[0].cart, payload={}),
    ]
    CartEvent.objects.bulk_create(events)
    # Something outside the period must not count.
    old = CartFactory()
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    return orders


def test_the_report_counts_the_funnel(known_week):
    today = timezone.localdate()

    report = funnel_report(start=today - timedelta(days=6), end=today)

    assert (report.carts_created, report.carts_with_items) == (5, 4)
    assert (report.checkouts_started, report.orders_paid) == (3, 2)
    assert report.abandonment_rate == pytest.approx(0.5)
    assert report.checkout_abandonment_rate == pytest.approx(1 / 3)
    assert (report.reminders_sent, report.carts_recovered) == (2, 1)
    assert report.recovery_rate == pytest.approx(0.5)
    assert len(report.days) == 7
    assert report.days[-1].carts_created == 5 and report.days[-1].orders_paid == 2
    assert sum(d.carts_created for d in report.days[:-1]) == 0


def test_an_empty_period_has_no_rates():
    today = timezone.localdate()

    report = funnel_report(start=today, end=today)

    assert report.abandonment_rate is None and report.recovery_rate is None


def test_staff_see_the_report_with_its_chart(client, known_week):
    client.force_login(StaffFactory())
    today = timezone.localdate()

    response = client.get(
        f"/admin/cart/cart/report/?start={today - timedelta(days=6)}&end={today}"
    )
    junk = client.get("/admin/cart/cart/report/?start=yesterday&end=")

    assert response.status_code == 200
    assert 'data-figure="orders_paid">2<' in response.text
    assert 'data-figure="abandonment_rate">50%<' in response.text
    assert 'data-figure="recovery_rate">50%<' in response.text
    assert "<svg" in response.text and response.text.count('class="bar-paid"') == 7
    assert junk.status_code == 200


def test_staff_tools_for_carts_events_and_reservations(client, known_week):
    client.force_login(StaffFactory())
    cart = known_week[0].cart
    CartLineFactory(cart=CartFactory())

    for url in (
        "/admin/cart/cart/",
        "/admin/cart/cart/?status__exact=open&owner=guest",
        f"/admin/cart/cart/{cart.pk}/change/",
        "/admin/cart/cartevent/?type__exact=cart_merged",
        "/admin/recovery/emailoptout/",
        "/admin/inventory/stockreservation/",
        "/admin/checkout/order/reconciliation/",
    ):
        assert client.get(url).status_code == 200, url


def test_staff_release_a_reservation_from_admin(client, shipping_methods):
    variant = VariantFactory(stock_on_hand=5)
    order = start(guest_cart((variant, 2))).order
    client.force_login(StaffFactory())
    reservation = StockReservation.objects.get(order_id=order.pk)

    response = client.post(
        "/admin/inventory/stockreservation/",
        {"action": "release", "_selected_action": [reservation.pk]},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    reservation.refresh_from_db()
    assert reservation.status == "released"


def test_reconciliation_lists_orders_past_their_time_and_applies(client, shipping_methods):
    variant = VariantFactory(stock_on_hand=5)
    late = start(guest_cart((variant, 1))).order
    on_time = start(guest_cart((variant, 1))).order
    Order.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(minutes=5))
    client.force_login(StaffFactory())

    page = client.get("/admin/checkout/order/reconciliation/")
    client.post("/admin/checkout/order/reconciliation/", {"order": late.pk})

    assert late.number in page.text and on_time.number not in page.text
    assert "past its payment time" in page.text
    late.refresh_from_db()
    assert late.status == Order.Status.CANCELLED

"""The confirmation page asks Stripe how a payment stands, but not on every hit: never for an
order already settled, at most once per order every PAYMENT_SYNC_INTERVAL_SECONDS, and at
most at the shop's usual rate per client. The page renders every time."""

import time

import pytest
from django.test import Client

from checkout import services
from checkout.models import Order
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


def stripe_reads(fake_stripe) -> int:
    return len(fake_stripe.calls("GET", "/v1/checkout/sessions/"))


def shopper_of(*orders) -> Client:
    """A browser that placed these orders (so their confirmation pages are its to see)."""
    client = Client()
    session = client.session
    session["checkout_orders"] = [order.number for order in orders]
    session.save()
    return client


def success(client, order):
    return client.get(f"/checkout/success/?session_id={order.payment_session_id}")


@pytest.fixture
def pending(fake_stripe, variant):
    """An order waiting for payment, whose shopper has not paid on Stripe's page yet."""
    return start(guest_cart((variant, 1))).order


@pytest.mark.parametrize("settle", ["paid", "fulfilled", "refunded", "cancelled"])
def test_a_settled_order_is_shown_without_asking_stripe(
    fake_stripe, pending, settle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        if settle == "cancelled":
            services.order_cancel(order_id=pending.pk, reason="abandoned")
        else:
            services.order_mark_paid(order_id=pending.pk, payment_intent="pi_1")
    if settle in {"fulfilled", "refunded"}:
        Order.objects.filter(pk=pending.pk).update(status=settle)
    client = shopper_of(pending)

    pages = [success(client, pending) for _ in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert 'data-testid="order-confirmation"' in pages[-1].text
    assert stripe_reads(fake_stripe) == 0


def test_reloading_asks_stripe_once_per_interval_and_still_shows_the_page(
    fake_stripe, pending, settings
):
    settings.PAYMENT_SYNC_INTERVAL_SECONDS = 1
    client = shopper_of(pending)

    pages = [success(client, pending) for _ in range(5)]

    assert [page.status_code for page in pages] == [200] * 5
    assert all("We are confirming your payment" in page.text for page in pages)
    assert stripe_reads(fake_stripe) == 1
    time.sleep(1.1)
    fake_stripe.complete(pending.payment_session_id)
    paid = success(client, pending)
    assert stripe_reads(fake_stripe) == 2
    assert "Thank you for your order!" in paid.text


def test_other_clients_share_the_orders_interval(fake_stripe, pending):
    for _ in range(3):
        assert success(shopper_of(pending), pending).status_code == 200

    assert stripe_reads(fake_stripe) == 1


def test_one_client_asks_stripe_at_most_at_the_usual_rate(fake_stripe, variant, settings):
    settings.RATE_LIMIT_CART_WRITES = "2/min"
    orders = [start(guest_cart((variant, 1))).order for _ in range(4)]
    client = shopper_of(*orders)

    pages = [success(client, order) for order in orders]

    assert [page.status_code for page in pages] == [200] * 4
    assert all("We are confirming your payment" in page.text for page in pages)
    assert stripe_reads(fake_stripe) == 2
    # Another client still gets its answer from Stripe.
    fake_stripe.complete(orders[3].payment_session_id)
    settings.PAYMENT_SYNC_INTERVAL_SECONDS = 0
    other = Client(REMOTE_ADDR="10.0.0.2")
    session = other.session
    session["checkout_orders"] = [orders[3].number]
    session.save()
    assert "Thank you for your order!" in success(other, orders[3]).text

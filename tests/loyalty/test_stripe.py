"""Points with Stripe: the session charges the total after points, the signed webhook redeems
them and earns, a refund goes back through Stripe and gives the points back."""

from decimal import Decimal

import pytest

from checkout import services as checkout_services
from checkout.models import Order
from loyalty.models import PointsEntry
from tests.checkout.fake_stripe import FakeStripe, session_event, signed_webhook
from tests.helpers import WEBHOOK_SECRET
from tests.loyalty.helpers import account_of, assert_ledger_adds_up, checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe().start()
    settings.PAYMENT_BACKEND = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.TAX_RATE = Decimal("0")
    yield fake
    fake.stop()


def test_stripe_charges_the_total_after_points_and_its_webhook_redeems_them(
    fake_stripe, client, user, variant, give_points
):
    give_points(user, 1200)

    order = checkout(user, variant, redeem=1200)

    [call] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert call["form"]["metadata"]["points_redeemed"] == "1200"
    session = fake_stripe.complete(order.payment_session_id)
    assert session["amount_total"] == 3300  # 40.00 - 12.00 + 5.00 shipping
    payload, signature = signed_webhook(
        session_event("evt_points", "checkout.session.completed", session), WEBHOOK_SECRET
    )
    response = client.post(
        "/checkout/webhook/stripe/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )

    assert response.json() == {"status": "paid"}
    account = account_of(user)
    assert (account.balance, account.pending) == (0, 28)
    assert account.entries.get(kind=PointsEntry.Kind.REDEEMED).order == order

    checkout_services.order_refund(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert len(fake_stripe.refunds) == 1
    assert (account_of(user).balance, account_of(user).pending) == (1200, 0)
    assert_ledger_adds_up(user)


def test_an_expired_stripe_session_gives_the_points_back(
    fake_stripe, client, user, variant, give_points
):
    give_points(user, 500)
    order = checkout(user, variant, redeem=500)
    session = fake_stripe.sessions[order.payment_session_id]
    session["status"] = "expired"
    payload, signature = signed_webhook(
        session_event("evt_expired", "checkout.session.expired", session), WEBHOOK_SECRET
    )

    client.post(
        "/checkout/webhook/stripe/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert account_of(user).balance == 500
    assert_ledger_adds_up(user)

"""The Stripe path, both sides of the network: the real `stripe` library against a local
fake of Stripe's API, and webhooks signed here, verified by the real library."""

import re
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client

from cart import services as cart_services
from catalog.models import Variant
from checkout import payments, services, tasks
from checkout.models import Order, StripeEvent
from config.celery_app import app as celery_app
from inventory.models import StockReservation
from tests.checkout.fake_stripe import session_event, signed_webhook
from tests.factories import PromoCodeFactory, StaffFactory, UserFactory
from tests.helpers import WEBHOOK_SECRET, guest_cart, run_at_once, start

WEBHOOK = "/checkout/webhook/stripe/"


def post_event(client, event, secret=WEBHOOK_SECRET, timestamp=None):
    payload, signature = signed_webhook(event, secret, timestamp)
    return client.post(
        WEBHOOK, payload, content_type="application/json", headers={"Stripe-Signature": signature}
    )


@pytest.fixture
def paid_session(fake_stripe, variant):
    """An order whose shopper has just paid on Stripe's page."""
    order = start(guest_cart((variant, 2))).order
    return order, fake_stripe.complete(order.payment_session_id)


@pytest.mark.django_db
def test_checkout_creates_a_stripe_session_with_the_order_in_it(fake_stripe, variant, settings):
    settings.TAX_RATE = Decimal("0.10")
    PromoCodeFactory(code="TENOFF", kind="fixed", value=Decimal("10.00"))

    started = start(guest_cart((variant, 2)), promo_code="TENOFF")

    order = started.order
    [call] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    form = call["form"]
    assert started.payment_url == f"https://checkout.stripe.test/c/pay/{order.payment_session_id}"
    assert form["mode"] == "payment"
    assert form["customer_email"] == "grace@example.com"
    assert form["metadata"] == {"order_id": str(order.pk), "order_number": order.number}
    product_line = form["line_items"]["0"]
    assert product_line["quantity"] == "2"
    assert product_line["price_data"]["unit_amount"] == "4000"
    assert product_line["price_data"]["currency"] == "usd"
    assert form["line_items"]["1"]["price_data"]["unit_amount"] == str(int(order.tax_total * 100))
    assert form["shipping_options"]["0"]["shipping_rate_data"]["fixed_amount"]["amount"] == "500"
    assert form["discounts"]["0"]["coupon"] == fake_stripe.coupons[0]["id"]
    assert fake_stripe.coupons[0]["amount_off"] == "1000"
    assert int(form["expires_at"]) >= time.time() + 30 * 60  # Stripe's minimum
    assert int(form["expires_at"]) == int(order.expires_at.timestamp())
    assert call["headers"]["Idempotency-Key"] == f"order-{order.pk}-checkout-session"
    assert (
        form["success_url"]
        == "http://shop.test:8000/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert form["cancel_url"] == f"http://shop.test:8000/checkout/cancel/?order={order.number}"
    # Paid amount = what the shop says: lines + tax + shipping - discount.
    charged = 2 * 4000 + int(order.tax_total * 100) + 500 - 1000
    assert charged == int(order.total * 100)


@pytest.mark.django_db
def test_when_stripe_is_down_nothing_is_held(fake_stripe, variant):
    fake_stripe.fail_with = 400

    with pytest.raises(payments.PaymentProviderError):
        start(guest_cart((variant, 2)))

    order = Order.objects.get()
    assert order.status == Order.Status.CANCELLED
    assert order.cancel_reason == "payment_unavailable"
    assert not StockReservation.objects.filter(status="active").exists()


@pytest.mark.django_db
def test_a_signed_completed_event_pays_the_order_once(
    paid_session, client, variant, django_capture_on_commit_callbacks
):
    order, session = paid_session
    event = session_event("evt_1", "checkout.session.completed", session)

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, event)
        replay = post_event(client, event)

    assert first.status_code == 200 and first.json() == {"status": "paid"}
    assert replay.status_code == 200 and replay.json() == {"status": "duplicate"}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_intent_id == session["payment_intent"]
    variant.refresh_from_db()
    assert variant.stock_on_hand == 8
    assert StripeEvent.objects.get().order == order


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda payload, sig: (payload, sig.replace("v1=", "v1=00")),
        lambda payload, sig: (payload.replace(b'"paid"', b'"PAID"'), sig),
        lambda payload, sig: (payload, ""),
        lambda payload, sig: (b"not json", sig),
    ],
)
def test_a_badly_signed_webhook_is_400_and_changes_nothing(paid_session, client, mangle):
    order, session = paid_session
    payload, signature = signed_webhook(
        session_event("evt_2", "checkout.session.completed", session), WEBHOOK_SECRET
    )
    payload, signature = mangle(payload, signature)

    response = client.post(
        WEBHOOK, payload, content_type="application/json", headers={"Stripe-Signature": signature}
    )

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and not order.payment_intent_id
    assert order.history.count() == 1  # only "checkout started"
    assert StockReservation.objects.get(order_id=order.pk).status == "active"
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_a_webhook_signed_with_another_secret_or_too_long_ago_is_refused(paid_session, client):
    order, session = paid_session
    event = session_event("evt_3", "checkout.session.completed", session)

    assert post_event(client, event, secret="whsec_other").status_code == 400
    assert post_event(client, event, timestamp=int(time.time()) - 3600).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and not order.payment_intent_id
    assert StockReservation.objects.get(order_id=order.pk).status == "active"
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_delayed_payments_wait_then_succeed_or_fail(fake_stripe, variant, client):
    succeeds = start(guest_cart((variant, 1))).order
    fails = start(guest_cart((variant, 1))).order
    pending_one = fake_stripe.complete(succeeds.payment_session_id, paid=False)
    pending_two = fake_stripe.complete(fails.payment_session_id, paid=False)

    waiting = post_event(client, session_event("evt_a", "checkout.session.completed", pending_one))
    paid_later = dict(pending_one, payment_status="paid")
    succeeded = post_event(
        client, session_event("evt_b", "checkout.session.async_payment_succeeded", paid_later)
    )
    failed = post_event(
        client, session_event("evt_c", "checkout.session.async_payment_failed", pending_two)
    )

    assert waiting.json() == {"status": "waiting"}
    assert succeeded.json() == {"status": "paid"}
    assert failed.json() == {"status": "cancelled"}
    assert Order.objects.get(pk=succeeds.pk).status == Order.Status.PAID
    assert Order.objects.get(pk=fails.pk).status == Order.Status.CANCELLED


@pytest.mark.django_db
def test_an_expired_session_cancels_and_releases(fake_stripe, variant, client):
    order = start(guest_cart((variant, 4))).order
    session = dict(fake_stripe.sessions[order.payment_session_id], status="expired")

    response = post_event(client, session_event("evt_x", "checkout.session.expired", session))

    assert response.json() == {"status": "cancelled"}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "expired"
    assert not StockReservation.objects.filter(status="active").exists()


@pytest.mark.django_db
def test_events_out_of_order_end_in_the_right_state(paid_session, client, variant):
    order, session = paid_session
    completed = session_event("evt_1", "checkout.session.completed", session)
    expired = session_event("evt_0", "checkout.session.expired", dict(session, status="expired"))

    post_event(client, completed)
    post_event(client, expired)  # late and stale: a paid order stays paid

    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_a_completed_event_after_an_expired_one_still_pays(paid_session, client, variant):
    order, session = paid_session

    post_event(
        client, session_event("evt_0", "checkout.session.expired", dict(session, status="expired"))
    )
    post_event(client, session_event("evt_1", "checkout.session.completed", session))

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    variant.refresh_from_db()
    assert variant.stock_on_hand == 8


@pytest.mark.django_db
def test_unknown_events_and_orders_are_acknowledged(fake_stripe, client):
    other = post_event(
        client,
        {
            "id": "evt_9",
            "object": "event",
            "type": "charge.refunded",
            "data": {"object": {"id": "ch_1"}},
        },
    )
    stray = post_event(
        client,
        session_event(
            "evt_8",
            "checkout.session.completed",
            {"id": "cs_nope", "status": "complete", "payment_status": "paid", "metadata": {}},
        ),
    )

    assert other.json() == {"status": "ignored"}
    assert stray.json() == {"status": "unknown_order"}


@pytest.mark.django_db
def test_the_success_page_asks_stripe_and_shows_the_order_before_the_webhook(
    paid_session, variant
):
    order, _session = paid_session
    shopper = Client()
    session_store = shopper.session
    session_store["checkout_orders"] = [order.number]
    session_store.save()

    response = shopper.get(f"/checkout/success/?session_id={order.payment_session_id}")

    assert 'data-testid="order-confirmation"' in response.text
    assert order.number in response.text
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert (
        Client().get(f"/checkout/success/?session_id={order.payment_session_id}").status_code
        == 404
    )


@pytest.mark.django_db
def test_a_cart_change_expires_the_open_stripe_session(
    fake_stripe, variant, django_capture_on_commit_callbacks
):
    owner = guest_cart((variant, 1))
    order = start(owner).order

    with django_capture_on_commit_callbacks(execute=True):
        cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=1, source="test")

    assert [c["path"] for c in fake_stripe.calls("POST", "/v1/checkout/sessions/")] == [
        f"/v1/checkout/sessions/{order.payment_session_id}/expire"
    ]
    assert fake_stripe.sessions[order.payment_session_id]["status"] == "expired"


@pytest.mark.django_db
def test_refunds_go_through_stripe_once(paid_session, fake_stripe):
    order, session = paid_session
    services.order_mark_paid(session_id=session["id"], payment_intent=session["payment_intent"])

    services.order_refund(order_id=order.pk)
    services.order_refund(order_id=order.pk)

    [refund] = fake_stripe.refunds
    assert refund["payment_intent"] == session["payment_intent"]
    [call] = fake_stripe.calls("POST", "/v1/refunds")
    assert call["headers"]["Idempotency-Key"] == f"order-{order.pk}-refund"
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_webhook_and_success_page_at_the_same_moment_pay_once(fake_stripe, variant):
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=10)
    order = start(guest_cart((variant, 3))).order
    session = fake_stripe.complete(order.payment_session_id)
    payload, signature = signed_webhook(
        session_event("evt_race", "checkout.session.completed", session), WEBHOOK_SECRET
    )
    connection.close()

    def arrive(i):
        if i % 2:
            Client().post(
                WEBHOOK,
                payload,
                content_type="application/json",
                headers={"Stripe-Signature": signature},
            )
        else:
            services.payment_sync(order=Order.objects.get(pk=order.pk))

    errors = run_at_once(6, arrive)

    assert errors == []
    variant.refresh_from_db()
    assert variant.stock_on_hand == 7
    assert Order.objects.get(pk=order.pk).history.filter(to_status="paid").count() == 1


# --- the webhook pays only the session the shop created, for the order's amount --------


def assert_still_waiting(order, variant):
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and not order.payment_intent_id
    assert [h.to_status for h in order.history.all()] == ["pending_payment"]
    assert StockReservation.objects.get(order_id=order.pk).status == "active"
    variant.refresh_from_db()
    assert variant.stock_on_hand == 10


@pytest.mark.django_db
@pytest.mark.parametrize("amount_total", [None, 1])  # the order's own amount, or one cent
def test_a_signed_event_for_another_session_naming_our_order_does_not_pay_it(
    paid_session, client, variant, caplog, amount_total
):
    order, session = paid_session
    other = {
        **session,
        "id": "cs_test_another_integration",
        "payment_intent": "pi_another_integration",
        "metadata": {"order_id": str(order.pk), "order_number": order.number},
        "amount_total": session["amount_total"] if amount_total is None else amount_total,
    }

    response = post_event(client, session_event("evt_other", "checkout.session.completed", other))

    assert response.status_code == 200  # acknowledged, so Stripe stops sending it
    assert response.json() == {"status": "unknown_order"}
    assert_still_waiting(order, variant)
    assert StripeEvent.objects.get().order is None
    assert "cs_test_another_integration" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"amount_total": 1},  # one cent
        {"amount_total": None},  # Stripe always says; a session without it is not ours
        {"currency": "eur"},
    ],
)
def test_a_session_whose_amount_or_currency_differs_from_the_order_does_not_pay_it(
    paid_session, client, variant, caplog, change
):
    order, session = paid_session
    assert session["amount_total"] == int(order.total * 100) and session["currency"] == "usd"
    event = session_event("evt_cent", "checkout.session.completed", {**session, **change})

    response = post_event(client, event)

    assert response.status_code == 200
    assert response.json() == {"status": "amount_mismatch"}
    assert_still_waiting(order, variant)
    assert order.number in caplog.text


@pytest.mark.django_db
def test_the_success_page_does_not_pay_a_session_with_another_amount(paid_session, variant):
    order, session = paid_session
    session["amount_total"] = 1  # what Stripe now says it charged

    services.payment_sync(order=Order.objects.get(pk=order.pk))

    assert_still_waiting(order, variant)


@pytest.mark.django_db
def test_reconciliation_shows_a_session_paid_for_another_amount_without_applying_it(
    paid_session, variant
):
    order, session = paid_session
    session["amount_total"] = 1
    staff = Client()
    staff.force_login(StaffFactory())

    page = staff.get("/admin/checkout/order/reconciliation/").text

    assert order.number in page
    assert "paid at Stripe, but the session charges 0.01, the order totals" in page
    assert f'name="order" value="{order.pk}"' not in page  # nothing to apply


@pytest.mark.django_db
def test_a_test_backend_order_is_never_paid_by_a_stripe_event(
    fake_stripe, client, settings, variant
):
    settings.PAYMENT_BACKEND = "test"
    order = start(guest_cart((variant, 2))).order
    forged = {
        "id": order.payment_session_id,  # test_<number>: no Stripe session of ours
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": "pi_forged",
        "amount_total": int(order.total * 100),
        "currency": "usd",
        "metadata": {"order_id": str(order.pk)},
    }

    response = post_event(client, session_event("evt_t", "checkout.session.completed", forged))

    assert response.json() == {"status": "unknown_order"}
    assert_still_waiting(order, variant)


# --- a refund that runs out of retries ------------------------------------------------


def refund_failed_gauge(client) -> float:
    text = client.get("/metrics").text
    return float(re.search(r"^shop_orders_refund_failed (\S+)$", text, re.M).group(1))


@pytest.fixture
def eager_tasks_fail_like_a_worker():
    """Eager tasks report a failure as a worker does instead of raising it, so a task's
    retries run one after another in the test and its failure hook runs at the end."""
    conf = celery_app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


@pytest.fixture
def stranded(paid_session, variant, eager_tasks_fail_like_a_worker):
    """An order paid at Stripe after its stock was sold: cancelled here, its money due back."""
    order, session = paid_session
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=1)
    services.order_mark_paid(session_id=session["id"], payment_intent=session["payment_intent"])
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.payment_intent_id
    return order


@pytest.mark.django_db
def test_a_refund_that_runs_out_of_retries_is_recorded_reported_and_counted(
    stranded, fake_stripe, client
):
    fake_stripe.fail_with = 400  # Stripe refuses every attempt
    staff = Client()
    staff.force_login(StaffFactory())
    assert refund_failed_gauge(client) == 0

    result = tasks.order_refund_task.apply(
        kwargs={"order_id": stranded.pk, "note": "paid after the stock was gone"}, throw=False
    )

    assert result.failed()
    attempts = fake_stripe.calls("POST", "/v1/refunds")
    assert len(attempts) == 1 + tasks.order_refund_task.max_retries  # every retry was used
    stranded.refresh_from_db()
    assert stranded.refund_failed_at is not None
    assert stranded.status == Order.Status.CANCELLED  # the money is still taken
    note = stranded.history.last().note
    assert "refund failed" in note and "Stripe is down" in note  # the provider's reason
    report = staff.get("/admin/checkout/order/reconciliation/").text
    assert stranded.number in report and "refund failed" in report.lower()
    assert refund_failed_gauge(client) == 1
    listing = staff.get("/admin/checkout/order/?refund_failed_at__isnull=False").text
    assert stranded.number in listing


@pytest.mark.django_db
def test_a_refund_that_fails_once_and_then_succeeds_is_not_flagged(stranded, fake_stripe):
    fake_stripe.fail_with = 400
    calls = []
    original = fake_stripe._reply

    def heal_after_first(*args):
        calls.append(args)
        if len(calls) > 1:
            fake_stripe.fail_with = None
        return original(*args)

    fake_stripe._reply = heal_after_first

    tasks.order_refund_task.apply(kwargs={"order_id": stranded.pk}, throw=False)

    stranded.refresh_from_db()
    assert stranded.status == Order.Status.REFUNDED and stranded.refund_failed_at is None


@pytest.mark.django_db
def test_staff_retry_a_failed_refund_from_admin_with_the_refund_permission(
    stranded, fake_stripe, client
):
    fake_stripe.fail_with = 400
    tasks.order_refund_task.apply(kwargs={"order_id": stranded.pk}, throw=False)
    fake_stripe.fail_with = None  # Stripe is back
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="checkout", codename__in=["view_order", "change_order"]
        )
    )
    action = {"action": "retry_refund", "_selected_action": [stranded.pk]}
    without, with_permission = Client(), Client()
    without.force_login(clerk)
    manager = UserFactory(is_staff=True)
    manager.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="checkout",
            codename__in=["view_order", "change_order", "refund_order"],
        )
    )
    with_permission.force_login(manager)

    without.post("/admin/checkout/order/", action)
    stranded.refresh_from_db()
    assert stranded.status == Order.Status.CANCELLED and not fake_stripe.refunds
    assert "retry_refund" not in without.get("/admin/checkout/order/").text

    response = with_permission.post("/admin/checkout/order/", action, follow=True)

    assert response.status_code == 200
    stranded.refresh_from_db()
    assert stranded.status == Order.Status.REFUNDED
    [refund] = fake_stripe.refunds
    assert refund["payment_intent"] == stranded.payment_intent_id
    assert refund_failed_gauge(client) == 0
    report = with_permission.get("/admin/checkout/order/reconciliation/").text
    assert stranded.number not in report


@pytest.mark.django_db
def test_retry_refund_leaves_orders_without_a_failed_refund_alone(paid_session, fake_stripe):
    order, session = paid_session
    services.order_mark_paid(session_id=session["id"], payment_intent=session["payment_intent"])
    staff = Client()
    staff.force_login(StaffFactory())

    staff.post(
        "/admin/checkout/order/", {"action": "retry_refund", "_selected_action": [order.pk]}
    )

    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not fake_stripe.refunds


@pytest.mark.django_db
def test_a_stripe_that_never_answers_fails_the_checkout_in_bounded_time(
    fake_stripe, variant, settings, monkeypatch
):
    from checkout.payments import PaymentProviderError
    from tests.shop.frozen import frozen_server

    monkeypatch.setattr(payments, "STRIPE_TIMEOUT", (0.5, 0.5))
    owner = guest_cart((variant, 1))
    with frozen_server() as frozen:
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{frozen.port}"
        began = time.monotonic()
        with pytest.raises(PaymentProviderError):
            start(owner)
        seconds = time.monotonic() - began

    assert seconds < 20  # 3 attempts of half a second each, plus the library's back-off
    assert not StockReservation.objects.filter(status="active").exists()

"""What a client without an account can hold at checkout, and how fast one address can start
checkouts: a refused start changes nothing (no order, no hold, no promo claim)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cart.selectors import CartOwner
from checkout import services
from checkout.exceptions import GuestCheckoutsLimitError, GuestHoldLimitError
from checkout.models import Order, PromoRedemption
from inventory.models import StockReservation
from inventory.selectors import variant_queryset_with_availability
from tests.factories import PromoCodeFactory, UserFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

BODY = {
    "email": "ada@example.com",
    "shipping_address": {
        "name": "Ada Lovelace",
        "line1": "12 St James's Square",
        "city": "London",
        "postal_code": "SW1Y 4JH",
        "country": "GB",
    },
    "shipping_method": "standard",
}
FORM = {
    "email": "guest@example.com",
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "standard",
    "action": "pay",
}


def available(variant) -> int:
    return variant_queryset_with_availability().get(pk=variant.pk).available_stock


def nothing_was_held(variant, stock: int) -> bool:
    return (
        not Order.objects.exists()
        and not StockReservation.objects.exists()
        and not PromoRedemption.objects.exists()
        and available(variant) == stock
    )


def user_cart(user, *items) -> CartOwner:
    owner = CartOwner(user=user)
    for variant, quantity in items:
        services_cart_add(owner, variant, quantity)
    return owner


def services_cart_add(owner, variant, quantity) -> None:
    from cart import services as cart_services

    cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=quantity, source="t")


def guest_api_cart(api, variant, quantity) -> str:
    response = api.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": quantity}, format="json"
    )
    assert response.status_code == 201
    return response.json()["token"]


# -- the rule, in the service ----------------------------------------------------------------


def test_a_guest_cannot_hold_more_units_than_the_cap_and_nothing_changes(settings):
    settings.CHECKOUT_HOLD_MAX_UNITS = 5
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    promo = PromoCodeFactory(max_uses=1)
    owner = guest_cart((variant, 6))

    with pytest.raises(GuestHoldLimitError) as refused:
        start(owner, promo_code=promo.code)

    assert "5" in refused.value.message
    assert nothing_was_held(variant, 100)


def test_a_guest_up_to_the_cap_checks_out():
    variant = VariantFactory(price="10.00", stock_on_hand=100)

    order = start(guest_cart((variant, 50))).order

    assert order.status == Order.Status.PENDING_PAYMENT
    assert available(variant) == 50


def test_a_shopper_with_an_account_is_not_capped(settings):
    settings.CHECKOUT_HOLD_MAX_UNITS = 5
    settings.CHECKOUT_MAX_OPEN = 1
    variant = VariantFactory(price="10.00", stock_on_hand=100)

    order = start(user_cart(UserFactory(), (variant, 60))).order

    assert order.status == Order.Status.PENDING_PAYMENT
    assert available(variant) == 40


def test_a_guest_session_counts_the_checkouts_it_started_from_other_carts(settings):
    settings.CHECKOUT_MAX_OPEN = 2
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    promo = PromoCodeFactory(max_uses=5)
    first = start(guest_cart((variant, 1))).order
    second = start(guest_cart((variant, 1)), earlier_orders=[first.number]).order

    with pytest.raises(GuestCheckoutsLimitError) as refused:
        start(
            guest_cart((variant, 1)),
            earlier_orders=[first.number, second.number],
            promo_code=promo.code,
        )

    assert "2" in refused.value.message
    assert Order.objects.count() == 2 and StockReservation.objects.count() == 2
    assert not PromoRedemption.objects.exists()
    assert available(variant) == 98


def test_units_held_by_the_sessions_other_checkouts_count_towards_the_cap(settings):
    settings.CHECKOUT_HOLD_MAX_UNITS = 5
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    first = start(guest_cart((variant, 3))).order

    with pytest.raises(GuestHoldLimitError):
        start(guest_cart((variant, 3)), earlier_orders=[first.number])

    assert available(variant) == 97


def test_ended_checkouts_and_lapsed_holds_no_longer_count(settings):
    settings.CHECKOUT_MAX_OPEN = 2
    settings.CHECKOUT_HOLD_MAX_UNITS = 5
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    cancelled = start(guest_cart((variant, 4))).order
    services.order_cancel(order_id=cancelled.pk, reason="abandoned")
    lapsed = start(guest_cart((variant, 4))).order
    StockReservation.objects.filter(order_id=lapsed.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    order = start(guest_cart((variant, 4)), earlier_orders=[cancelled.number, lapsed.number]).order

    assert order.status == Order.Status.PENDING_PAYMENT


def test_starting_again_from_the_same_cart_replaces_and_is_not_refused(settings):
    settings.CHECKOUT_MAX_OPEN = 1
    settings.CHECKOUT_HOLD_MAX_UNITS = 4
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    owner = guest_cart((variant, 4))
    first = start(owner).order

    second = start(owner, earlier_orders=[first.number]).order

    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    assert second.status == Order.Status.PENDING_PAYMENT
    assert available(variant) == 96


def test_a_guest_hold_lasts_the_guest_ttl_and_a_shoppers_the_full_one(settings):
    settings.GUEST_RESERVATION_TTL_MINUTES = 15
    settings.RESERVATION_TTL_MINUTES = 30
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    before = timezone.now()

    guest = start(guest_cart((variant, 1))).order
    shopper = start(user_cart(UserFactory(), (variant, 1))).order

    guest_hold = StockReservation.objects.get(order_id=guest.pk).expires_at
    shopper_hold = StockReservation.objects.get(order_id=shopper.pk).expires_at
    assert before + timedelta(minutes=15) <= guest_hold < before + timedelta(minutes=16)
    assert guest.expires_at == guest_hold  # the test page has no minimum lifetime
    assert shopper_hold >= before + timedelta(minutes=30)
    # Once the guest's time is up, the stock is free again, before any job runs.
    StockReservation.objects.filter(order_id=guest.pk).update(expires_at=timezone.now())
    assert available(variant) == 99


def test_with_stripe_the_session_keeps_its_30_minutes_but_the_guest_hold_ends_sooner(
    settings, fake_stripe
):
    settings.GUEST_RESERVATION_TTL_MINUTES = 15
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    before = timezone.now()

    order = start(guest_cart((variant, 2))).order

    hold = StockReservation.objects.get(order_id=order.pk).expires_at
    [call] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert hold < before + timedelta(minutes=16)
    assert order.expires_at >= before + timedelta(minutes=30)
    assert int(call["form"]["expires_at"]) == int(order.expires_at.timestamp())


# -- the API --------------------------------------------------------------------------------


def test_the_api_refuses_a_guest_over_the_cap_with_a_409_that_says_why(api, settings):
    settings.CHECKOUT_HOLD_MAX_UNITS = 5
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    token = guest_api_cart(api, variant, 6)

    response = api.post("/api/v1/checkout/", BODY, format="json", headers={"X-Cart-Token": token})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "guest_hold_limit"
    assert "at most 5" in body["detail"]
    assert nothing_was_held(variant, 100)


def test_the_api_limits_checkout_starts_per_client_address(api, settings):
    settings.RATE_LIMIT_CHECKOUT = "2/min"
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    # A fresh cart token each time: a new identity costs nothing, the address stays.
    tokens = [guest_api_cart(api, variant, 1) for _ in range(3)]

    statuses = [
        api.post(
            "/api/v1/checkout/", BODY, format="json", headers={"X-Cart-Token": token}
        ).status_code
        for token in tokens[:2]
    ]
    limited = api.post(
        "/api/v1/checkout/", BODY, format="json", headers={"X-Cart-Token": tokens[2]}
    )
    elsewhere = api.post(
        "/api/v1/checkout/",
        BODY,
        format="json",
        headers={"X-Cart-Token": tokens[2]},
        REMOTE_ADDR="10.0.0.9",
    )

    assert statuses == [201, 201]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["code"] == "throttled"
    assert "too many checkouts" in limited.json()["detail"].lower()
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert elsewhere.status_code == 201
    assert Order.objects.count() == 3


# -- the page -------------------------------------------------------------------------------


def test_the_page_tells_a_guest_over_the_cap_why_and_holds_nothing(client, settings):
    settings.CHECKOUT_HOLD_MAX_UNITS = 2
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 3})

    response = client.post("/checkout/", FORM)

    assert response.status_code == 200
    assert "at most 2 items" in response.content.decode()
    assert nothing_was_held(variant, 100)


def test_the_page_counts_the_checkouts_this_browser_started_from_other_carts(client, settings):
    settings.CHECKOUT_MAX_OPEN = 1
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1})
    assert client.post("/checkout/", FORM).status_code == 302
    # The browser comes to hold another guest cart (a recovery link, say) in the same session.
    session = client.session
    session["cart_token"] = guest_cart((variant, 1)).token
    session.save()

    response = client.post("/checkout/", FORM)

    assert response.status_code == 200
    assert "at most 1 checkout" in response.content.decode()
    assert Order.objects.count() == 1


def test_the_page_limits_checkout_starts_per_address_but_not_recalculating(client, settings):
    settings.RATE_LIMIT_CHECKOUT = "1/min"
    variant = VariantFactory(price="10.00", stock_on_hand=100)
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1})

    recalculated = client.post("/checkout/", {**FORM, "action": "update"})
    started = client.post("/checkout/", FORM)
    limited = client.post("/checkout/", FORM)

    assert recalculated.status_code == 200
    assert started.status_code == 302
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "too many checkouts" in limited.content.decode().lower()
    assert Order.objects.filter(status=Order.Status.PENDING_PAYMENT).count() == 1

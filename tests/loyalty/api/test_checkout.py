"""POST /api/v1/checkout/ with `redeem_points`: the same rules as the page, as the API says
them (problem+json, Idempotency-Key)."""

from decimal import Decimal

import pytest

from checkout.models import Order
from loyalty import services
from loyalty.models import PointsEntry
from tests.conftest import token_headers
from tests.loyalty.helpers import account_of

pytestmark = pytest.mark.django_db

BODY = {
    "shipping_address": {
        "name": "Ada Lovelace",
        "line1": "12 St James's Square",
        "city": "London",
        "postal_code": "SW1Y 4JH",
        "country": "GB",
    },
    "shipping_method": "standard",
}


@pytest.fixture(autouse=True)
def _tax(settings):
    settings.TAX_RATE = Decimal("0.10")


@pytest.fixture
def shopper(api, user, variant):
    headers = token_headers(user)
    api.post("/api/v1/cart/items/", {"variant_id": variant.pk}, format="json", headers=headers)
    return headers


def test_redeeming_points_lowers_the_total_and_the_order_shows_them(api, user, shopper):
    services.points_adjust(user_id=user.pk, points=800, reason="welcome")

    response = api.post(
        "/api/v1/checkout/", {**BODY, "redeem_points": 250}, format="json", headers=shopper
    )

    assert response.status_code == 201
    order = api.get(f"/api/v1/orders/{response.json()['order_id']}/", headers=shopper).json()
    assert (order["points_redeemed"], order["points_discount"]) == (250, "2.50")
    assert (order["subtotal"], order["tax_total"], order["total"]) == ("40.00", "4.25", "46.75")
    assert order["amount_due"] == order["total"]
    assert account_of(user).balance == 550
    loyalty = api.get("/api/v1/loyalty/", headers=shopper).json()
    assert loyalty["balance"] == 550
    assert loyalty["entries"][0] == {
        "points": -250,
        "kind": "held",
        "order_number": order["number"],
        "created_at": loyalty["entries"][0]["created_at"],
    }


def test_more_points_than_the_balance_is_a_409_and_nothing_is_made(api, user, shopper):
    services.points_adjust(user_id=user.pk, points=100, reason="welcome")

    response = api.post(
        "/api/v1/checkout/", {**BODY, "redeem_points": 101}, format="json", headers=shopper
    )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "points_insufficient"
    assert not Order.objects.exists()
    assert account_of(user).balance == 100


def test_a_guest_redeeming_points_is_told_to_log_in(api, variant):
    token = api.post("/api/v1/cart/items/", {"variant_id": variant.pk}, format="json").json()[
        "token"
    ]

    response = api.post(
        "/api/v1/checkout/",
        {**BODY, "email": "guest@example.com", "redeem_points": 5},
        format="json",
        headers={"X-Cart-Token": token},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "points_login_required"
    assert "redeem_points" in body.get("errors", {})
    assert not Order.objects.exists()


@pytest.mark.parametrize("points", [-1, "many", 1.5, 10**10])
def test_points_must_be_a_whole_number_not_below_zero(api, user, shopper, points):
    response = api.post(
        "/api/v1/checkout/", {**BODY, "redeem_points": points}, format="json", headers=shopper
    )

    assert response.status_code == 400
    assert "redeem_points" in response.json()["errors"]
    assert not Order.objects.exists()


def test_a_repeated_idempotency_key_holds_the_points_once(api, user, shopper):
    services.points_adjust(user_id=user.pk, points=800, reason="welcome")
    headers = {**shopper, "Idempotency-Key": "points-1"}

    first = api.post(
        "/api/v1/checkout/", {**BODY, "redeem_points": 300}, format="json", headers=headers
    )
    again = api.post(
        "/api/v1/checkout/", {**BODY, "redeem_points": 300}, format="json", headers=headers
    )

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Order.objects.count() == 1
    assert PointsEntry.objects.filter(kind="held").count() == 1
    assert account_of(user).balance == 500


def test_paying_with_points_earns_on_what_was_paid(api, user, shopper):
    from checkout import services as checkout_services

    services.points_adjust(user_id=user.pk, points=1000, reason="welcome")
    started = api.post(
        "/api/v1/checkout/", {**BODY, "redeem_points": 1000}, format="json", headers=shopper
    ).json()

    checkout_services.local_payment_complete(order_id=started["order_id"], succeed=True)

    loyalty = api.get("/api/v1/loyalty/", headers=shopper).json()
    assert (loyalty["balance"], loyalty["pending"]) == (0, 30)
    assert [e["kind"] for e in loyalty["entries"]] == ["earned", "redeemed", "adjusted"]

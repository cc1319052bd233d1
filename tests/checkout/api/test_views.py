import threading

import psycopg
import pytest
from django.db import connection

from checkout import payments, services
from checkout.models import Order
from tests.conftest import token_headers
from tests.factories import UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

BODY = {
    "email": "ada@example.com",
    "shipping_address": {
        "name": "Ada Lovelace",
        "line1": "12 St James's Square",
        "city": "London",
        "postal_code": "SW1Y 4JH",
        "country": "GB",
        "phone": "+44 20 7946 0000",
    },
    "shipping_method": "express",
}


@pytest.fixture(autouse=True)
def _shipping(shipping_methods):
    return shipping_methods


@pytest.fixture
def guest_token(api):
    variant = VariantFactory(price="20.00", stock_on_hand=5)
    return api.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 2}, format="json"
    ).json()["token"]


def test_shipping_methods(api):
    body = api.get("/api/v1/checkout/shipping-methods/").json()

    assert [(m["code"], m["price"], m["free_over"]) for m in body] == [
        ("standard", "5.00", "75.00"),
        ("express", "15.00", None),
    ]


def test_a_guest_checkout_returns_where_to_pay(api, guest_token):
    response = api.post(
        "/api/v1/checkout/", BODY, format="json", headers={"X-Cart-Token": guest_token}
    )

    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get()
    assert body["order_id"] == order.pk and body["order_number"] == order.number
    assert body["payment_url"].startswith("http://testserver/checkout/pay/")
    assert body["expires_at"]
    assert (order.ship_country, order.shipping_total, order.email) == ("GB", 15, "ada@example.com")


def test_the_page_and_the_api_store_an_address_the_same_way(api, guest_token, client):
    messy = {
        "name": "  Ada   Lovelace ",
        "line1": "12  St James's   Square",
        "city": " London",
        "postal_code": " sw1y 4jh ",
        "country": "gb",
        "phone": " +44 20 7946 0000 ",
    }
    api.post(
        "/api/v1/checkout/",
        {**BODY, "shipping_address": messy},
        format="json",
        headers={"X-Cart-Token": guest_token},
    )
    client.post("/cart/add/", {"variant_id": VariantFactory(stock_on_hand=3).pk, "quantity": 1})
    client.post(
        "/checkout/",
        {"email": "ada@example.com", "shipping_method": "express", **messy, "country": "GB"},
    )

    [from_api, from_page] = Order.objects.order_by("pk")
    stored = [
        (o.ship_name, o.ship_line1, o.ship_city, o.ship_postal_code, o.ship_country, o.ship_phone)
        for o in (from_api, from_page)
    ]
    assert (
        stored[0]
        == stored[1]
        == (
            "Ada Lovelace",
            "12 St James's Square",
            "London",
            "SW1Y 4JH",
            "GB",
            "+44 20 7946 0000",
        )
    )


def test_guests_must_give_an_email(api, guest_token):
    response = api.post(
        "/api/v1/checkout/",
        {**BODY, "email": ""},
        format="json",
        headers={"X-Cart-Token": guest_token},
    )

    assert response.status_code == 400 and "email" in response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "gbr"}, "country"),
        ({"postal_code": "!!"}, "postal_code"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_address_errors_name_the_field(api, guest_token, change, field):
    body = {**BODY, "shipping_address": {**BODY["shipping_address"], **change}}

    response = api.post(
        "/api/v1/checkout/", body, format="json", headers={"X-Cart-Token": guest_token}
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]["shipping_address"]


def test_an_empty_cart_is_400_and_an_unknown_method_or_code_names_the_field(api, guest_token):
    empty = api.post("/api/v1/checkout/", BODY, format="json")
    method = api.post(
        "/api/v1/checkout/",
        {**BODY, "shipping_method": "teleport"},
        format="json",
        headers={"X-Cart-Token": guest_token},
    )
    promo = api.post(
        "/api/v1/checkout/",
        {**BODY, "promo_code": "NOPE"},
        format="json",
        headers={"X-Cart-Token": guest_token},
    )

    assert empty.status_code == 400 and empty.json()["code"] == "cart_empty"
    assert method.status_code == 400 and "shipping_method" in method.json()["errors"]
    assert promo.status_code == 400 and promo.json()["errors"] == {
        "promo_code": ["We don't know that promo code."]
    }


def test_stock_conflicts_and_moved_totals_are_409(api, guest_token):
    from catalog.models import Variant

    Variant.objects.update(stock_on_hand=1)
    invalid = api.post(
        "/api/v1/checkout/", BODY, format="json", headers={"X-Cart-Token": guest_token}
    )
    Variant.objects.update(stock_on_hand=5)
    moved = api.post(
        "/api/v1/checkout/",
        {**BODY, "expected_total": "1.00"},
        format="json",
        headers={"X-Cart-Token": guest_token},
    )

    assert invalid.status_code == 409 and invalid.json()["code"] == "cart_invalid"
    assert invalid.json()["issues"][0]["available_quantity"] == 1
    assert moved.status_code == 409 and moved.json()["code"] == "total_changed"
    assert moved.json()["total"] == "60.50"  # (40.00 + 15.00 express) + 10% tax


def test_with_login_required_a_guest_gets_401(api, guest_token, settings):
    settings.CHECKOUT_REQUIRES_LOGIN = True

    response = api.post(
        "/api/v1/checkout/", BODY, format="json", headers={"X-Cart-Token": guest_token}
    )

    assert response.status_code == 401


def test_orders_are_the_owners_only(api):
    alice, bob = UserFactory(), UserFactory()
    variant = VariantFactory(stock_on_hand=10)
    api.post(
        "/api/v1/cart/items/",
        {"variant_id": variant.pk},
        format="json",
        headers=token_headers(alice),
    )
    started = api.post(
        "/api/v1/checkout/", {**BODY, "email": ""}, format="json", headers=token_headers(alice)
    ).json()
    services.order_mark_paid(order_id=started["order_id"])

    mine = api.get("/api/v1/orders/", headers=token_headers(alice)).json()
    one = api.get(f"/api/v1/orders/{started['order_id']}/", headers=token_headers(alice)).json()
    theirs = api.get(f"/api/v1/orders/{started['order_id']}/", headers=token_headers(bob))
    anonymous = api.get("/api/v1/orders/")

    assert mine["count"] == 1 and mine["results"][0]["number"] == started["order_number"]
    assert one["status"] == "paid" and one["email"] == alice.email
    assert one["lines"][0]["sku"] == variant.sku
    assert one["shipping_address"]["country"] == "GB"
    assert theirs.status_code == 404
    assert anonymous.status_code == 401


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "checkout-1"}])
def test_no_row_stays_locked_while_the_payment_provider_is_called(
    api, guest_token, monkeypatch, headers
):
    """Stripe may take seconds: meanwhile other shoppers and staff must not queue on our rows."""
    variant_id = api.get("/api/v1/cart/", headers={"X-Cart-Token": guest_token}).json()["items"][
        0
    ]["variant_id"]
    blocked = []
    real_session_create = payments.session_create

    def staff_recount() -> None:
        settings = connection.settings_dict
        dsn = f"host={settings['HOST']} port={settings['PORT'] or 5432} user={settings['USER']} dbname={settings['NAME']}"
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("SET lock_timeout = '2s'")
            try:
                other.execute(
                    "UPDATE catalog_variant SET stock_on_hand = stock_on_hand WHERE id = %s",
                    [variant_id],
                )
            except psycopg.errors.LockNotAvailable:
                blocked.append(variant_id)

    def slow_provider(order, **kwargs):
        recount = threading.Thread(target=staff_recount)
        recount.start()
        recount.join()
        return real_session_create(order, **kwargs)

    monkeypatch.setattr(payments, "session_create", slow_provider)

    response = api.post(
        "/api/v1/checkout/",
        BODY,
        format="json",
        headers={"X-Cart-Token": guest_token, **headers},
    )

    assert response.status_code == 201
    assert blocked == []

"""Shared carts in the API (issue 15, point 3): `POST cart/share/`, `GET shared-carts/{token}/`,
`POST shared-carts/{token}/add/`, their errors as problem+json and Idempotency-Key on the
POSTs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cart.models import Cart, CartEvent, SharedCart
from catalog.models import Variant
from tests.conftest import token_headers
from tests.factories import ProductFactory, ProductLineFieldFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SHARE = "/api/v1/cart/share/"
ITEMS = "/api/v1/cart/items/"


def post(api, url, data=None, **headers):
    return api.post(url, data, format="json", headers=headers)


@pytest.fixture
def knife():
    product = ProductFactory(name="Chef's Knife", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    return VariantFactory(product=product, name="8 inch", price="89.00", stock_on_hand=10)


@pytest.fixture
def sharer(api, knife):
    """A guest cart with 2 engraved knives: its X-Cart-Token."""
    body = post(
        api, ITEMS, {"variant_id": knife.pk, "quantity": 2, "properties": {"engraving": "For Ada"}}
    ).json()
    return body["token"]


@pytest.fixture
def link(api, sharer):
    return post(api, SHARE, **{"X-Cart-Token": sharer}).json()


def shared(token: str) -> str:
    return f"/api/v1/shared-carts/{token}/"


# --- POST cart/share/ ------------------------------------------------------------------


def test_share_answers_201_with_an_absolute_url_token_and_expiry(api, sharer, settings):
    settings.SHARED_CART_TTL_DAYS = 30

    response = post(api, SHARE, **{"X-Cart-Token": sharer})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"url", "token", "expires_at"}
    record = SharedCart.objects.get()
    assert body["token"] == record.token != sharer
    assert body["url"] == f"http://testserver/cart/shared/{record.token}/"
    assert body["expires_at"].startswith(str((timezone.now() + timedelta(days=30)).date()))
    assert "no-store" in response["Cache-Control"]


def test_a_shopper_shares_with_a_token(api, knife):
    headers = token_headers(UserFactory())
    post(api, ITEMS, {"variant_id": knife.pk}, **headers)

    response = post(api, SHARE, **headers)

    assert response.status_code == 201
    assert SharedCart.objects.get().lines.get().variant == knife


@pytest.mark.parametrize("headers", [{}, {"X-Cart-Token": "no-such-cart-token-0123456789"}])
def test_sharing_an_empty_or_missing_cart_is_a_409_problem(api, headers):
    response = post(api, SHARE, **headers)

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "cart_empty" and body["status"] == 409
    assert body["type"] == "urn:storefront:problem:cart_empty"


def test_share_replays_for_the_same_idempotency_key(api, sharer, knife):
    headers = {"X-Cart-Token": sharer, "Idempotency-Key": "share-once"}
    first = post(api, SHARE, **headers)
    post(api, ITEMS, {"variant_id": knife.pk}, **{"X-Cart-Token": sharer})  # a new version

    again = post(api, SHARE, **headers)

    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert SharedCart.objects.count() == 1
    other = post(api, SHARE, {"x": 1}, **headers)
    assert other.status_code == 422 and other["Content-Type"] == PROBLEM


# --- GET shared-carts/{token}/ -------------------------------------------------------------


def test_reading_a_shared_cart_shows_its_items_at_today_s_prices(api, link, knife):
    Variant.objects.filter(pk=knife.pk).update(price=Decimal("95.00"), stock_on_hand=1)

    response = api.get(shared(link["token"]))

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"items", "expires_at"}
    assert body["expires_at"] == link["expires_at"]
    assert (body["currency"], body["subtotal"], body["total_items"]) == ("USD", "95.00", 2)
    [item] = body["items"]
    assert item == {
        "variant_id": knife.pk,
        "product_id": knife.product_id,
        "product_name": "Chef's Knife",
        "variant_name": "8 inch",
        "product_slug": knife.product.slug,
        "image_url": None,
        "quantity": 2,
        "addable_quantity": 1,
        "current_price": "95.00",
        "line_total": "95.00",
        "available_stock": 1,
        "is_available": True,
        "issue": "insufficient_stock",
        "properties": {"engraving": "For Ada"},
    }
    assert CartEvent.objects.filter(type="shared_cart_opened", payload__source="api").exists()


@pytest.mark.parametrize("token", ["unknown-token-of-good-length-0123456789", "x", "%00" * 30])
def test_an_unknown_shared_cart_is_a_404_problem(api, token):
    response = api.get(shared(token))

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] in {"shared_cart_not_found", "not_found"}


def test_an_expired_shared_cart_is_a_404_problem(api, link):
    SharedCart.objects.update(expires_at=timezone.now())

    for response in (api.get(shared(link["token"])), post(api, shared(link["token"]) + "add/")):
        assert response.status_code == 404
        assert response.json()["code"] == "shared_cart_not_found"


# --- POST shared-carts/{token}/add/ --------------------------------------------------------


def test_adding_answers_the_caller_s_cart_with_a_new_guest_token(api, link, knife):
    response = post(api, shared(link["token"]) + "add/")

    assert response.status_code == 200
    body = response.json()
    cart = Cart.objects.get(token=body["token"])
    assert response["X-Cart-Token"] == cart.token and response["ETag"] == f'"{body["version"]}"'
    [item] = body["items"]
    assert (item["variant_id"], item["quantity"], item["properties"]) == (
        knife.pk,
        2,
        {"engraving": "For Ada"},
    )
    assert body["shared_cart_add"] == {
        "message": "Added 2 items to your cart.",
        "added_items": 2,
        "capped": [],
        "left_out": [],
    }


def test_adding_caps_and_reports_what_was_capped_or_left_out(api, link, knife):
    gone = VariantFactory(product=ProductFactory(name="Stone Mug", variants=0), name="Default")
    headers = token_headers(UserFactory())
    post(api, ITEMS, {"variant_id": knife.pk, "quantity": 9}, **headers)
    sharer = post(api, ITEMS, {"variant_id": gone.pk}).json()["token"]
    other = post(api, SHARE, **{"X-Cart-Token": sharer}).json()
    Variant.objects.filter(pk=gone.pk).update(status=Variant.Status.ARCHIVED)

    capped = post(api, shared(link["token"]) + "add/", **headers).json()["shared_cart_add"]
    left_out = post(api, shared(other["token"]) + "add/", **headers)

    assert capped["capped"] == [
        {
            "variant_id": knife.pk,
            "name": "Chef's Knife (8 inch)",
            "requested": 2,
            "added": 1,
            "reason": "insufficient_stock",
        }
    ]
    assert left_out.status_code == 200
    report = left_out.json()["shared_cart_add"]
    assert report["added_items"] == 0
    assert report["left_out"] == [
        {
            "variant_id": gone.pk,
            "name": "Stone Mug",
            "requested": 1,
            "added": 0,
            "reason": "unavailable",
        }
    ]
    assert report["message"] == (
        "Nothing could be added to your cart. Not added: Stone Mug (no longer available)."
    )


def test_adding_with_a_stale_if_match_is_412(api, link, knife):
    token = post(api, ITEMS, {"variant_id": VariantFactory().pk}).json()["token"]

    response = post(
        api, shared(link["token"]) + "add/", **{"X-Cart-Token": token, "If-Match": '"99"'}
    )

    assert response.status_code == 412 and response["Content-Type"] == PROBLEM
    assert Cart.objects.get(token=token).lines.count() == 1


def test_adding_replays_for_the_same_idempotency_key(api, link, knife):
    headers = {**token_headers(UserFactory()), "Idempotency-Key": "add-all-once"}

    first = post(api, shared(link["token"]) + "add/", **headers)
    again = post(api, shared(link["token"]) + "add/", **headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Cart.objects.get(user__isnull=False).lines.get().quantity == 2
    assert CartEvent.objects.filter(type="shared_cart_added").count() == 1

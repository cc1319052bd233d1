import pytest

from cart.models import Cart, CartEvent, CartLine
from catalog.models import Variant
from tests.conftest import token_headers
from tests.factories import CartFactory, CartLineFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
CART = "/api/v1/cart/"
ITEMS = "/api/v1/cart/items/"


def post(api, url, data=None, **headers):
    return api.post(url, data, format="json", headers=headers)


def patch(api, url, data, **headers):
    return api.patch(url, data, format="json", headers=headers)


@pytest.fixture
def variant():
    return VariantFactory(price="499.99", stock_on_hand=10)


@pytest.fixture
def guest_cart(api, variant):
    """A guest cart with 2 of `variant`; returns (token, line id)."""
    body = post(api, ITEMS, {"variant_id": variant.pk, "quantity": 2}).json()
    return body["token"], body["items"][0]["id"]


# --- reading ---------------------------------------------------------------------


def test_get_cart_without_one_creates_nothing(api):
    response = api.get(CART)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] is None and body["token"] is None and body["items"] == []
    assert body["total"] == "0.00" and body["currency"] == "USD"
    assert response["ETag"] == '"0"'
    assert not Cart.objects.exists()


def test_a_guest_add_without_a_token_creates_a_cart_and_returns_its_token(api, variant):
    response = post(api, ITEMS, {"variant_id": variant.pk})

    assert response.status_code == 201
    body = response.json()
    assert body["token"] == response["X-Cart-Token"] == Cart.objects.get().token
    assert body["items"][0]["quantity"] == 1
    assert response["ETag"] == f'"{body["version"]}"'


def test_the_cart_shape(api, guest_cart, variant):
    token, line_id = guest_cart

    body = api.get(CART, headers={"X-Cart-Token": token}).json()

    assert set(body) == {
        "id",
        "token",
        "items",
        "subtotal",
        "discount_total",
        "estimated_tax",
        "total",
        "total_items",
        "currency",
        "updated_at",
        "version",
        "note",  # CONTRACT section 7
        "saved_items",  # CONTRACT section 7
    }
    [item] = body["items"]
    assert item == {
        "id": line_id,
        "variant_id": variant.pk,
        "product_id": variant.product_id,
        "sku": variant.sku,
        "product_name": variant.product.name,
        "variant_name": variant.name,
        "product_slug": variant.product.slug,
        "image_url": None,
        "quantity": 2,
        "unit_price": "499.99",
        "current_price": "499.99",
        "line_total": "999.98",
        "available_stock": 10,
        "is_available": True,
        "properties": {},  # CONTRACT section 7
    }
    assert (body["subtotal"], body["discount_total"], body["estimated_tax"], body["total"]) == (
        "999.98",
        "0.00",
        "100.00",
        "1099.98",
    )
    assert body["total_items"] == 2


def test_the_same_variant_again_sums(api, guest_cart, variant):
    token, _ = guest_cart

    body = post(
        api, ITEMS, {"variant_id": variant.pk, "quantity": 3}, **{"X-Cart-Token": token}
    ).json()

    assert [i["quantity"] for i in body["items"]] == [5]


@pytest.mark.parametrize(
    "token", ["nonsense", "x" * 43, "", "a" * 500, "t\u00e9st-token-aaaaaaaaaaaaaaaa"]
)
def test_an_unknown_or_malformed_cart_token_gives_a_fresh_cart(api, guest_cart, variant, token):
    original, _ = guest_cart

    read = api.get(CART, headers={"X-Cart-Token": token})
    write = post(api, ITEMS, {"variant_id": variant.pk}, **{"X-Cart-Token": token})

    assert read.status_code == 200 and read.json()["items"] == []
    assert write.status_code == 201 and write.json()["token"] not in (original, token)
    assert write.json()["total_items"] == 1


def test_summary(api, guest_cart):
    token, _ = guest_cart

    body = api.get("/api/v1/cart/summary/", headers={"X-Cart-Token": token}).json()

    assert body == {
        "total_items": 2,
        "subtotal": "999.98",
        "discount_total": "0.00",
        "estimated_tax": "100.00",
        "total": "1099.98",
        "currency": "USD",
    }


# --- writing -----------------------------------------------------------------------


def test_a_stock_conflict_is_409_with_available_stock(api, guest_cart, variant):
    token, _ = guest_cart

    response = post(
        api, ITEMS, {"variant_id": variant.pk, "quantity": 9}, **{"X-Cart-Token": token}
    )

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert body["detail"] == "Only 10 left in stock"
    assert body["available_stock"] == 10
    assert set(body) >= {"type", "title", "status", "detail", "code"}
    assert CartLine.objects.get().quantity == 2


def test_unknown_variant_is_404(api):
    response = post(api, ITEMS, {"variant_id": 987654})

    assert response.status_code == 404
    assert response.json()["code"] == "variant_not_found"
    assert not Cart.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "variant_id"),
        ({"variant_id": "abc"}, "variant_id"),
        ({"variant_id": 1, "quantity": 0}, "quantity"),
        ({"variant_id": 1, "quantity": "lots"}, "quantity"),
        ({"variant_id": 2**70}, "variant_id"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, body, field):
    response = post(api, ITEMS, body)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert field in response.json()["errors"]


def test_a_quantity_above_the_line_maximum_is_400(api, variant, settings):
    settings.CART_MAX_LINE_QUANTITY = 5

    response = post(api, ITEMS, {"variant_id": variant.pk, "quantity": 6})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "quantity": ["You can have at most 5 of one item in your cart."]
    }


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[]",
        b"null",
        b'"text"',
        b'{"variant_id": null}',
        b"\xff\xfe",
        b'{"variant_id": 1e400}',
    ],
)
def test_malformed_bodies_are_400_never_500(api, raw):
    response = api.post(ITEMS, raw, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_a_non_json_body_is_415(api):
    response = api.post(ITEMS, "variant_id=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_bulk_add_is_all_or_nothing(api, variant):
    scarce = VariantFactory(stock_on_hand=1)

    refused = post(
        api,
        "/api/v1/cart/items/bulk/",
        {
            "items": [
                {"variant_id": variant.pk, "quantity": 2},
                {"variant_id": scarce.pk, "quantity": 2},
            ]
        },
    )
    accepted = post(
        api,
        "/api/v1/cart/items/bulk/",
        {"items": [{"variant_id": variant.pk, "quantity": 2}, {"variant_id": scarce.pk}]},
    )

    assert refused.status_code == 409 and refused.json()["available_stock"] == 1
    assert accepted.status_code == 201
    assert sorted(i["quantity"] for i in accepted.json()["items"]) == [1, 2]
    assert Cart.objects.count() == 1
    assert post(api, "/api/v1/cart/items/bulk/", {"items": []}).status_code == 400


def test_put_replaces_all_lines(api, guest_cart, variant):
    token, _ = guest_cart
    other = VariantFactory(price="3.00")

    response = api.put(
        CART,
        {"items": [{"variant_id": other.pk, "quantity": 4}]},
        format="json",
        headers={"X-Cart-Token": token},
    )

    assert response.status_code == 200
    assert [(i["variant_id"], i["quantity"]) for i in response.json()["items"]] == [(other.pk, 4)]


def test_patch_sets_quantity_and_zero_removes(api, guest_cart):
    token, line_id = guest_cart
    url = f"/api/v1/cart/items/{line_id}/"

    raised = patch(api, url, {"quantity": 4}, **{"X-Cart-Token": token})
    too_many = patch(api, url, {"quantity": 11}, **{"X-Cart-Token": token})
    removed = patch(api, url, {"quantity": 0}, **{"X-Cart-Token": token})

    assert raised.status_code == 200 and raised.json()["items"][0]["quantity"] == 4
    assert too_many.status_code == 409 and too_many.json()["available_stock"] == 10
    assert removed.status_code == 200 and removed.json()["items"] == []


def test_delete_item_and_delete_cart(api, guest_cart, variant):
    token, line_id = guest_cart

    gone = api.delete(f"/api/v1/cart/items/{line_id}/", headers={"X-Cart-Token": token})
    again = api.delete(f"/api/v1/cart/items/{line_id}/", headers={"X-Cart-Token": token})
    post(api, ITEMS, {"variant_id": variant.pk}, **{"X-Cart-Token": token})
    cleared = api.delete(CART, headers={"X-Cart-Token": token})

    assert gone.status_code == 200 and gone.json()["items"] == []
    assert again.status_code == 404 and again.json()["code"] == "line_not_found"
    assert cleared.status_code == 204
    assert not CartLine.objects.exists()


def test_validate_reports_each_issue(api, guest_cart, variant):
    token, line_id = guest_cart
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=1, price="450.00")

    response = post(api, "/api/v1/cart/validate/", **{"X-Cart-Token": token})

    assert response.status_code == 200
    body = response.json()
    assert body["is_valid"] is False
    assert {(i["line_id"], i["issue_type"], i["available_quantity"]) for i in body["issues"]} == {
        (line_id, "insufficient_stock", 1),
        (line_id, "price_changed", 1),
    }
    assert CartEvent.objects.filter(type="cart_validated").exists()


# --- users and their carts ------------------------------------------------------------------


def test_a_user_sees_only_their_own_cart_and_lines(api, guest_cart):
    alice, bob = UserFactory(), UserFactory()
    alice_line = CartLineFactory(cart=CartFactory(user=alice), quantity=1)

    bob_reads = api.get(CART, headers=token_headers(bob))
    bob_patches = patch(
        api, f"/api/v1/cart/items/{alice_line.pk}/", {"quantity": 3}, **token_headers(bob)
    )
    bob_deletes = api.delete(f"/api/v1/cart/items/{alice_line.pk}/", headers=token_headers(bob))
    guest_token, _guest_line = guest_cart
    bob_with_guest_token = api.get(
        CART, headers={**token_headers(bob), "X-Cart-Token": guest_token}
    )

    assert bob_reads.json()["items"] == []
    assert bob_patches.status_code == 404 and bob_deletes.status_code == 404
    assert bob_with_guest_token.json()["items"] == []
    assert CartLine.objects.get(pk=alice_line.pk).quantity == 1
    alice_reads = api.get(CART, headers=token_headers(alice)).json()
    assert alice_reads["token"] is None
    assert [i["id"] for i in alice_reads["items"]] == [alice_line.pk]


def test_merge_needs_a_login_and_an_existing_guest_cart(api, guest_cart):
    token, _ = guest_cart
    user = UserFactory()

    anonymous = post(api, "/api/v1/cart/merge/", {"cart_token": token})
    unknown = post(api, "/api/v1/cart/merge/", {"cart_token": "nope"}, **token_headers(user))
    merged = post(api, "/api/v1/cart/merge/", {"cart_token": token}, **token_headers(user))

    assert anonymous.status_code == 401
    assert unknown.status_code == 404 and unknown.json()["code"] == "cart_not_found"
    assert merged.status_code == 200 and merged.json()["total_items"] == 2


# --- ETag and If-Match -----------------------------------------------------------------------


def test_every_cart_response_carries_the_version_as_etag(api, guest_cart):
    token, line_id = guest_cart
    headers = {"X-Cart-Token": token}

    read = api.get(CART, headers=headers)
    changed = patch(api, f"/api/v1/cart/items/{line_id}/", {"quantity": 3}, **headers)

    assert read["ETag"] == f'"{read.json()["version"]}"'
    assert changed["ETag"] == f'"{read.json()["version"] + 1}"'


def test_a_write_with_a_stale_if_match_is_412_and_changes_nothing(api, guest_cart):
    token, line_id = guest_cart
    etag = api.get(CART, headers={"X-Cart-Token": token})["ETag"]
    url = f"/api/v1/cart/items/{line_id}/"

    fresh = patch(api, url, {"quantity": 3}, **{"X-Cart-Token": token, "If-Match": etag})
    stale = patch(api, url, {"quantity": 4}, **{"X-Cart-Token": token, "If-Match": etag})
    junk = patch(api, url, {"quantity": 4}, **{"X-Cart-Token": token, "If-Match": "banana"})
    weak = patch(
        api, url, {"quantity": 5}, **{"X-Cart-Token": token, "If-Match": "W/" + fresh["ETag"]}
    )

    assert fresh.status_code == 200
    assert stale.status_code == 412 and stale.json()["code"] == "cart_version_mismatch"
    assert junk.status_code == 412
    assert weak.status_code == 200
    assert CartLine.objects.get().quantity == 5


# --- query budgets ----------------------------------------------------------------------------


def test_get_cart_runs_the_same_queries_for_1_10_and_50_lines(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (1, 10, 50):
        cart = CartFactory()
        for _ in range(size):
            CartLineFactory(cart=cart)
        with CaptureQueriesContext(connection) as ctx:
            body = api.get(CART, headers={"X-Cart-Token": cart.token}).json()
        assert len(body["items"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_adding_through_the_api_stays_within_eight_queries(api, guest_cart, variant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, _ = guest_cart
    with CaptureQueriesContext(connection) as ctx:
        response = post(api, ITEMS, {"variant_id": variant.pk}, **{"X-Cart-Token": token})

    assert response.status_code == 201
    queries = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) <= 8, queries

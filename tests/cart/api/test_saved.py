"""Saved for later and the wishlist in the API (issue 15, points 1, 2, 7): `POST
cart/items/{id}/save/`, `POST cart/saved/{id}/move/`, `DELETE cart/saved/{id}/`, `GET
wishlist/`, `POST wishlist/items/`, `DELETE wishlist/items/{id}/`; their errors as
problem+json and Idempotency-Key on the POSTs."""

import pytest

from cart.models import Cart, CartEvent, SavedItem, WishlistItem
from catalog.models import Variant
from tests.conftest import token_headers
from tests.factories import UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ITEMS = "/api/v1/cart/items/"
WISHLIST = "/api/v1/wishlist/"
WISH_ITEMS = "/api/v1/wishlist/items/"


def post(api, url, data=None, **headers):
    return api.post(url, data, format="json", headers=headers)


@pytest.fixture
def mug():
    return VariantFactory(product__name="Mug", price="12.00", stock_on_hand=5)


@pytest.fixture
def guest(api, mug):
    """A guest cart with 2 mugs: (its X-Cart-Token, the line id)."""
    body = post(api, ITEMS, {"variant_id": mug.pk, "quantity": 2}).json()
    return body["token"], body["items"][0]["id"]


def save_url(line_id):
    return f"/api/v1/cart/items/{line_id}/save/"


def test_save_answers_the_cart_with_the_line_in_saved_items(api, guest, mug):
    token, line_id = guest

    response = post(api, save_url(line_id), **{"X-Cart-Token": token})

    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [] and body["total"] == "0.00" and body["total_items"] == 0
    [saved] = body["saved_items"]
    assert set(saved) == {
        "id",
        "variant_id",
        "product_id",
        "product_name",
        "variant_name",
        "product_slug",
        "image_url",
        "current_price",
        "is_available",
        "properties",
        "available_stock",
        "stock_status",
        "quantity",
    }
    assert (saved["variant_id"], saved["quantity"], saved["current_price"]) == (mug.pk, 2, "12.00")
    assert saved["is_available"] is True and saved["properties"] == {}
    assert response["ETag"] == f'"{body["version"]}"'
    # Reading the cart shows them too.
    again = api.get("/api/v1/cart/", headers={"X-Cart-Token": token}).json()
    assert again["saved_items"] == body["saved_items"]


def test_move_answers_the_cart_with_the_line_back(api, guest, mug):
    token, line_id = guest
    saved_id = post(api, save_url(line_id), **{"X-Cart-Token": token}).json()["saved_items"][0][
        "id"
    ]

    response = post(api, f"/api/v1/cart/saved/{saved_id}/move/", **{"X-Cart-Token": token})

    assert response.status_code == 200
    body = response.json()
    assert [(i["variant_id"], i["quantity"]) for i in body["items"]] == [(mug.pk, 2)]
    assert body["saved_items"] == [] and body["subtotal"] == "24.00"
    assert CartEvent.objects.filter(type="line_restored").count() == 1


def test_move_without_the_stock_is_a_409_and_changes_nothing(api, guest, mug):
    token, line_id = guest
    saved_id = post(api, save_url(line_id), **{"X-Cart-Token": token}).json()["saved_items"][0][
        "id"
    ]
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=1)

    response = post(api, f"/api/v1/cart/saved/{saved_id}/move/", **{"X-Cart-Token": token})

    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["available_stock"] == 1
    assert SavedItem.objects.count() == 1


def test_delete_saved_answers_the_cart(api, guest):
    token, line_id = guest
    saved_id = post(api, save_url(line_id), **{"X-Cart-Token": token}).json()["saved_items"][0][
        "id"
    ]

    response = api.delete(f"/api/v1/cart/saved/{saved_id}/", headers={"X-Cart-Token": token})

    assert response.status_code == 200 and response.json()["saved_items"] == []
    again = api.delete(f"/api/v1/cart/saved/{saved_id}/", headers={"X-Cart-Token": token})
    assert again.status_code == 404 and again["Content-Type"] == PROBLEM
    assert again.json()["code"] == "saved_item_not_found"


def test_unknown_lines_and_saved_items_are_404_problems(api, guest):
    token, _line_id = guest
    for response in (
        post(api, save_url(10**9), **{"X-Cart-Token": token}),
        post(api, "/api/v1/cart/saved/999999/move/", **{"X-Cart-Token": token}),
        api.delete("/api/v1/cart/saved/999999/", headers={"X-Cart-Token": token}),
    ):
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_save_with_a_stale_if_match_is_412(api, guest):
    token, line_id = guest
    response = post(api, save_url(line_id), **{"X-Cart-Token": token, "If-Match": '"99"'})
    assert response.status_code == 412 and response.json()["code"] == "cart_version_mismatch"


def test_save_past_the_limit_is_a_409_problem(api, settings, guest):
    settings.CART_MAX_LINES = 1
    token, line_id = guest
    post(api, save_url(line_id), **{"X-Cart-Token": token})
    other = VariantFactory()
    body = post(api, ITEMS, {"variant_id": other.pk}, **{"X-Cart-Token": token}).json()

    response = post(api, save_url(body["items"][0]["id"]), **{"X-Cart-Token": token})

    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "saved_items_full"


def test_save_honours_idempotency_key(api, guest):
    token, line_id = guest
    headers = {"X-Cart-Token": token, "Idempotency-Key": "save-once"}

    first = post(api, save_url(line_id), **headers)
    replay = post(api, save_url(line_id), **headers)

    assert first.status_code == replay.status_code == 200
    assert replay.json() == first.json()
    assert SavedItem.objects.get().quantity == 2


def test_move_honours_idempotency_key(api, guest):
    token, line_id = guest
    saved_id = post(api, save_url(line_id), **{"X-Cart-Token": token}).json()["saved_items"][0][
        "id"
    ]
    headers = {"X-Cart-Token": token, "Idempotency-Key": "move-once"}

    first = post(api, f"/api/v1/cart/saved/{saved_id}/move/", **headers)
    replay = post(api, f"/api/v1/cart/saved/{saved_id}/move/", **headers)

    assert first.status_code == replay.status_code == 200
    assert replay.json()["items"][0]["quantity"] == 2


def test_a_users_saved_items_come_with_their_cart(api, mug):
    headers = token_headers(UserFactory())
    line_id = post(api, ITEMS, {"variant_id": mug.pk}, **headers).json()["items"][0]["id"]
    post(api, save_url(line_id), **headers)

    body = api.get("/api/v1/cart/", headers=headers).json()

    assert body["token"] is None and len(body["saved_items"]) == 1


# --- the wishlist -------------------------------------------------------------------------


def test_wishlist_of_a_guest_without_one_is_empty_and_creates_nothing(api):
    response = api.get(WISHLIST)
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0, "token": None}
    assert not Cart.objects.exists()


def test_wishing_is_201_then_200_with_no_duplicate_and_a_guest_gets_a_token(api, mug):
    first = post(api, WISH_ITEMS, {"variant_id": mug.pk})

    assert first.status_code == 201
    token = first["X-Cart-Token"]
    assert first.json()["token"] == token
    [item] = first.json()["items"]
    assert item["variant_id"] == mug.pk and item["product_name"] == "Mug"
    assert item["current_price"] == "12.00" and item["is_available"] is True

    again = post(api, WISH_ITEMS, {"variant_id": mug.pk}, **{"X-Cart-Token": token})
    assert again.status_code == 200 and again.json()["count"] == 1
    listed = api.get(WISHLIST, headers={"X-Cart-Token": token}).json()
    assert [i["id"] for i in listed["items"]] == [item["id"]]


def test_a_sold_out_wish_shows_as_such(api, mug):
    headers = token_headers(UserFactory())
    post(api, WISH_ITEMS, {"variant_id": mug.pk}, **headers)
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=0)

    [item] = api.get(WISHLIST, headers=headers).json()["items"]

    assert item["is_available"] is False and item["stock_status"] == "out_of_stock"


def test_wishing_for_unknown_or_bad_variants_is_a_problem(api):
    unknown = post(api, WISH_ITEMS, {"variant_id": 10**9})
    bad = post(api, WISH_ITEMS, {"variant_id": "x"})
    assert unknown.status_code == 404 and unknown["Content-Type"] == PROBLEM
    assert bad.status_code == 400 and "variant_id" in bad.json()["errors"]
    assert not WishlistItem.objects.exists() and not Cart.objects.exists()


def test_wishlist_past_the_limit_is_a_409_problem(api, monkeypatch, mug):
    monkeypatch.setattr("cart.services.wishlist.WISHLIST_MAX_ITEMS", 1)
    headers = token_headers(UserFactory())
    post(api, WISH_ITEMS, {"variant_id": mug.pk}, **headers)

    response = post(api, WISH_ITEMS, {"variant_id": VariantFactory().pk}, **headers)

    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "wishlist_full"


def test_delete_wish_is_204_then_404_and_not_for_others(api, mug):
    headers = token_headers(UserFactory())
    item_id = post(api, WISH_ITEMS, {"variant_id": mug.pk}, **headers).json()["items"][0]["id"]

    stranger = api.delete(f"{WISH_ITEMS}{item_id}/", headers=token_headers(UserFactory()))
    mine = api.delete(f"{WISH_ITEMS}{item_id}/", headers=headers)
    again = api.delete(f"{WISH_ITEMS}{item_id}/", headers=headers)

    assert stranger.status_code == 404 and stranger["Content-Type"] == PROBLEM
    assert mine.status_code == 204
    assert again.status_code == 404 and again.json()["code"] == "wishlist_item_not_found"


def test_wishing_honours_idempotency_key(api, mug):
    headers = {**token_headers(UserFactory()), "Idempotency-Key": "wish-once"}

    first = post(api, WISH_ITEMS, {"variant_id": mug.pk}, **headers)
    replay = post(api, WISH_ITEMS, {"variant_id": mug.pk}, **headers)
    other_body = post(api, WISH_ITEMS, {"variant_id": VariantFactory().pk}, **headers)

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert other_body.status_code == 422
    assert WishlistItem.objects.count() == 1


def test_a_token_login_merges_the_guest_wishlist(api, mug, password):
    user = UserFactory()
    token = post(api, WISH_ITEMS, {"variant_id": mug.pk})["X-Cart-Token"]

    response = post(
        api,
        "/api/v1/auth/token/",
        {"email": user.email, "password": password},
        **{"X-Cart-Token": token},
    )

    assert response.status_code == 200
    assert response.json()["cart_merge"]["wishlist_moved"] == 1
    headers = {"Authorization": f"Token {response.json()['token']}"}
    assert api.get(WISHLIST, headers=headers).json()["count"] == 1

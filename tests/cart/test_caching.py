"""No shared cache may keep a cart: one guest's cart and token must never be served to another.

Every cart response, API or page, reads or writes, success or error, says
`Cache-Control: private, no-store`; the API's also vary on the headers that name the cart.
"""

import pytest
from django.utils.cache import cc_delim_re

from tests.conftest import token_headers
from tests.factories import UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

CART = "/api/v1/cart/"
ITEMS = "/api/v1/cart/items/"


def directives(response) -> set[str]:
    return {d.strip().lower() for d in response.get("Cache-Control", "").split(",") if d}


def vary(response) -> set[str]:
    return {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}


def assert_never_shared(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


def assert_api_never_shared(response):
    assert_never_shared(response)
    # Its own names of the cart, and what the rest of the stack already varies on.
    assert {"authorization", "x-cart-token", "accept-language"} <= vary(response), response.get(
        "Vary"
    )


@pytest.fixture
def variant():
    return VariantFactory(price="10.00", stock_on_hand=5)


@pytest.fixture
def guest(api, variant):
    """A guest API client holding a cart with one line; returns (token, line id)."""
    body = api.post(ITEMS, {"variant_id": variant.pk}, format="json").json()
    api.credentials(HTTP_X_CART_TOKEN=body["token"])
    return body["token"], body["items"][0]["id"]


def test_reading_the_cart_is_never_shared(api, guest):
    for url in (CART, "/api/v1/cart/summary/"):
        response = api.get(url)
        assert response.status_code == 200
        assert_api_never_shared(response)


def test_reading_no_cart_yet_is_never_shared(api):
    assert_api_never_shared(api.get(CART))


def test_every_cart_write_is_never_shared(api, guest, variant):
    _token, line_id = guest
    other = VariantFactory(stock_on_hand=5)
    responses = [
        api.post(ITEMS, {"variant_id": variant.pk}, format="json"),
        api.post(f"{ITEMS}bulk/", {"items": [{"variant_id": other.pk}]}, format="json"),
        api.patch(f"{ITEMS}{line_id}/", {"quantity": 2}, format="json"),
        api.post("/api/v1/cart/validate/", format="json"),
        api.put(CART, {"items": [{"variant_id": variant.pk, "quantity": 1}]}, format="json"),
        api.delete(f"{ITEMS}{api.get(CART).json()['items'][0]['id']}/"),
        api.delete(CART),
    ]

    assert [r.status_code for r in responses] == [201, 201, 200, 200, 200, 200, 204]
    for response in responses:
        assert_api_never_shared(response)


def test_a_merge_for_a_logged_in_shopper_is_never_shared(api, guest):
    token, _line = guest
    api.credentials(**{"HTTP_" + k.upper(): v for k, v in token_headers(UserFactory()).items()})

    response = api.post("/api/v1/cart/merge/", {"cart_token": token}, format="json")

    assert response.status_code == 200
    assert_api_never_shared(response)


def test_cart_errors_are_never_shared_either(api, guest, settings):
    _token, line_id = guest
    responses = {
        400: api.post(ITEMS, {"variant_id": "nope"}, format="json"),
        401: api.post("/api/v1/cart/merge/", {"cart_token": "x" * 43}, format="json"),
        404: api.patch(f"{ITEMS}999999/", {"quantity": 1}, format="json"),
        405: api.post(CART, {}, format="json"),  # PATCH sets the note (CONTRACT section 7)
        409: api.patch(f"{ITEMS}{line_id}/", {"quantity": 50}, format="json"),
        412: api.delete(CART, headers={"If-Match": '"12345"'}),
    }
    settings.RATE_LIMIT_CART_WRITES = "1/min"
    api.post(ITEMS, {"variant_id": 1}, format="json")
    responses[429] = api.post(ITEMS, {"variant_id": 1}, format="json")

    for status, response in responses.items():
        assert response.status_code == status
        assert_api_never_shared(response)


def test_a_replayed_answer_is_never_shared(api, variant):
    # Keys are scoped by cart token: a guest's first write (no token yet) is never stored.
    token = api.post(ITEMS, {"variant_id": variant.pk}, format="json").json()["token"]
    headers = {"Idempotency-Key": "add-once", "X-Cart-Token": token}
    api.post(ITEMS, {"variant_id": variant.pk}, format="json", headers=headers)

    replay = api.post(ITEMS, {"variant_id": variant.pk}, format="json", headers=headers)
    mismatch = api.post(
        ITEMS, {"variant_id": variant.pk, "quantity": 2}, format="json", headers=headers
    )

    assert replay["Idempotent-Replayed"] == "true" and mismatch.status_code == 422
    assert_api_never_shared(replay)
    assert_api_never_shared(mismatch)


@pytest.mark.parametrize("url", ["/cart/", "/cart/mini/"])
def test_the_cart_page_and_mini_cart_are_never_shared(client, variant, url):
    empty = client.get(url)
    client.post("/cart/add/", {"variant_id": variant.pk})
    full = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})

    for response in (empty, full, partial):
        assert response.status_code == 200
        assert_never_shared(response)
    assert {"cookie", "accept-language"} <= vary(full)

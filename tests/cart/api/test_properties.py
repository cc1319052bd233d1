"""Line properties and the cart note through the API: every path that adds or replaces lines
takes `properties`, PATCH cart takes the note, and each refusal is problem+json naming the
field."""

import pytest

from cart.models import Cart, CartLine
from tests.conftest import token_headers
from tests.factories import ProductLineFieldFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
CART = "/api/v1/cart/"
ITEMS = "/api/v1/cart/items/"
BULK = "/api/v1/cart/items/bulk/"
ADA = {"engraving": "For Ada"}
GRACE = {"engraving": "For Grace"}


def post(api, url, data=None, **headers):
    return api.post(url, data, format="json", headers=headers)


@pytest.fixture
def knife():
    variant = VariantFactory(price="89.00", stock_on_hand=5)
    ProductLineFieldFactory(product=variant.product, key="engraving", label="Engraving")
    return variant


def assert_problem(response, status, code, field):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    assert list(body["errors"]) == [field]
    return body


def test_an_add_carries_properties_and_the_line_shows_them(api, knife):
    response = post(api, ITEMS, {"variant_id": knife.pk, "properties": {"engraving": " For Ada"}})

    assert response.status_code == 201
    [item] = response.json()["items"]
    assert item["properties"] == ADA
    again = api.get(CART, headers={"X-Cart-Token": response["X-Cart-Token"]}).json()
    assert again["items"][0]["properties"] == ADA


def test_same_properties_sum_other_properties_make_another_line(api, knife):
    token = post(api, ITEMS, {"variant_id": knife.pk, "properties": ADA})["X-Cart-Token"]
    post(api, ITEMS, {"variant_id": knife.pk, "properties": GRACE}, **{"X-Cart-Token": token})

    body = post(
        api, ITEMS, {"variant_id": knife.pk, "properties": ADA}, **{"X-Cart-Token": token}
    ).json()

    assert [(i["quantity"], i["properties"]) for i in body["items"]] == [(2, ADA), (1, GRACE)]


def test_a_value_over_its_length_is_a_400_naming_the_field_with_nothing_added(api, knife):
    response = post(api, ITEMS, {"variant_id": knife.pk, "properties": {"engraving": "x" * 21}})

    body = assert_problem(response, 400, "property_too_long", "properties.engraving")
    assert body["errors"]["properties.engraving"] == ["Engraving can be at most 20 characters."]
    assert body["variant_id"] == knife.pk
    assert not Cart.objects.exists()


def test_a_missing_required_field_is_a_400_naming_it(api, knife):
    ProductLineFieldFactory(
        product=knife.product, key="gift_wrap", label="Gift wrap", kind="choice",
        required=True, choices=["Kraft", "Linen"],
    )  # fmt: skip

    response = post(api, ITEMS, {"variant_id": knife.pk, "properties": ADA})

    assert_problem(response, 400, "property_required", "properties.gift_wrap")
    assert not CartLine.objects.exists()


@pytest.mark.parametrize(
    ("properties", "code", "field"),
    [
        ({"monogram": "AL"}, "property_unknown", "properties.monogram"),
        ({"engraving": 42}, "property_invalid", "properties.engraving"),
        ({"engraving": "nul\u0000"}, "property_invalid", "properties.engraving"),
        (["engraving"], "invalid", "properties"),
        ({f"k{n}": "v" for n in range(51)}, "invalid", "properties"),
    ],
)
def test_properties_that_do_not_fit_are_a_400(api, knife, properties, code, field):
    response = post(api, ITEMS, {"variant_id": knife.pk, "properties": properties})

    assert_problem(response, 400, code, field)
    assert not CartLine.objects.exists()


def test_bulk_takes_properties_and_refuses_all_for_one_bad_item(api, knife):
    body = post(
        api,
        BULK,
        {"items": [{"variant_id": knife.pk, "properties": ADA}, {"variant_id": knife.pk}]},
    ).json()
    assert [i["properties"] for i in body["items"]] == [ADA, {}]

    response = post(
        api,
        BULK,
        {
            "items": [
                {"variant_id": knife.pk, "properties": GRACE},
                {"variant_id": knife.pk, "properties": {"engraving": "x" * 30}},
            ]
        },
        **{"X-Cart-Token": body["token"]},
    )

    assert_problem(response, 400, "property_too_long", "properties.engraving")
    assert CartLine.objects.count() == 2


def test_stock_counts_every_line_of_the_variant_through_the_api(api, knife):  # stock 5
    token = post(api, ITEMS, {"variant_id": knife.pk, "quantity": 4, "properties": ADA})[
        "X-Cart-Token"
    ]

    response = post(
        api,
        ITEMS,
        {"variant_id": knife.pk, "quantity": 2, "properties": GRACE},
        **{"X-Cart-Token": token},
    )

    assert response.status_code == 409
    assert response.json()["available_stock"] == 5


def test_put_cart_replaces_lines_by_variant_and_properties(api, knife):
    token = post(api, ITEMS, {"variant_id": knife.pk, "properties": ADA})["X-Cart-Token"]

    response = api.put(
        CART,
        {"items": [{"variant_id": knife.pk, "quantity": 2, "properties": GRACE}]},
        format="json",
        headers={"X-Cart-Token": token},
    )

    assert response.status_code == 200
    assert [(i["quantity"], i["properties"]) for i in response.json()["items"]] == [(2, GRACE)]
    bad = api.put(
        CART,
        {"items": [{"variant_id": knife.pk, "properties": {"engraving": "x" * 21}}]},
        format="json",
        headers={"X-Cart-Token": token},
    )
    assert_problem(bad, 400, "property_too_long", "properties.engraving")


def test_an_idempotent_add_with_properties_replays_and_refuses_other_properties(api, knife):
    token = post(api, ITEMS, {"variant_id": knife.pk})["X-Cart-Token"]
    headers = {"X-Cart-Token": token, "Idempotency-Key": "engrave-once"}

    first = post(api, ITEMS, {"variant_id": knife.pk, "properties": ADA}, **headers)
    again = post(api, ITEMS, {"variant_id": knife.pk, "properties": ADA}, **headers)
    other = post(api, ITEMS, {"variant_id": knife.pk, "properties": GRACE}, **headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert other.status_code == 422 and other["Content-Type"] == PROBLEM
    assert CartLine.objects.get(properties_key__gt="").quantity == 1


# --- the note ---------------------------------------------------------------------------


def test_patch_cart_sets_the_note_and_moves_the_etag(api, knife):
    created = post(api, ITEMS, {"variant_id": knife.pk})
    token, etag = created["X-Cart-Token"], created["ETag"]

    response = api.patch(
        CART,
        {"note": "  Leave it by the door. "},
        format="json",
        headers={"X-Cart-Token": token, "If-Match": etag},
    )

    assert response.status_code == 200
    assert response.json()["note"] == "Leave it by the door."
    assert response["ETag"] != etag
    assert api.get(CART, headers={"X-Cart-Token": token}).json()["note"] == (
        "Leave it by the door."
    )


def test_a_shoppers_note_through_the_api(api, knife):
    headers = token_headers(UserFactory())
    post(api, ITEMS, {"variant_id": knife.pk}, **headers)

    response = api.patch(CART, {"note": "Ring twice"}, format="json", headers=headers)

    assert response.json()["note"] == "Ring twice" and response.json()["token"] is None


@pytest.mark.parametrize(
    ("note", "code"), [("x" * 501, "note_too_long"), ("nul\u0000", "invalid"), (None, "invalid")]
)
def test_a_note_that_does_not_fit_is_a_400_naming_note(api, knife, note, code):
    token = post(api, ITEMS, {"variant_id": knife.pk})["X-Cart-Token"]

    response = api.patch(CART, {"note": note}, format="json", headers={"X-Cart-Token": token})

    assert_problem(response, 400, code, "note")
    assert Cart.objects.get().note == ""


def test_a_note_with_a_stale_etag_is_412(api, knife):
    token = post(api, ITEMS, {"variant_id": knife.pk})["X-Cart-Token"]

    response = api.patch(
        CART, {"note": "Hi"}, format="json", headers={"X-Cart-Token": token, "If-Match": '"99"'}
    )

    assert response.status_code == 412 and response["Content-Type"] == PROBLEM


def test_product_detail_lists_its_line_fields(api, knife):
    ProductLineFieldFactory(
        product=knife.product, key="gift_wrap", label="Gift wrap", kind="choice",
        choices=["Kraft", "Linen"],
    )  # fmt: skip

    body = api.get(f"/api/v1/products/{knife.product.slug}/").json()

    assert body["line_fields"] == [
        {
            "key": "engraving",
            "label": "Engraving",
            "kind": "text",
            "required": False,
            "max_length": 20,
            "choices": [],
        },
        {
            "key": "gift_wrap",
            "label": "Gift wrap",
            "kind": "choice",
            "required": False,
            "max_length": 20,
            "choices": ["Kraft", "Linen"],
        },
    ]

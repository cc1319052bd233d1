"""The staff API gives products line fields (CONTRACT section 7): POST admin/products and
PATCH admin/products/{id} take `line_fields`."""

import pytest

from catalog.models import Product, ProductLineField
from tests.conftest import token_headers
from tests.factories import ProductFactory, ProductLineFieldFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/admin/products/"
ENGRAVING = {
    "key": "engraving",
    "label": "Engraving",
    "kind": "text",
    "required": False,
    "max_length": 20,
    "choices": [],
}
GIFT_WRAP = {
    "key": "gift_wrap",
    "label": "Gift wrap",
    "kind": "choice",
    "required": True,
    "max_length": 100,
    "choices": ["Kraft paper", "Linen cloth"],
}


@pytest.fixture
def staff():
    return token_headers(StaffFactory())


def create(api, staff, line_fields, **extra):
    body = {"name": "Pocket Knife", "sku": "KNF-1", "price": "45.00", "stock": 30, **extra}
    return api.post(PRODUCTS, {**body, "line_fields": line_fields}, format="json", headers=staff)


def test_staff_create_a_product_with_line_fields(api, staff):
    response = create(api, staff, [ENGRAVING, {"key": "gift_wrap", "label": "Gift wrap",
                                               "kind": "choice", "required": True,
                                               "choices": ["Kraft paper", "Linen cloth"]}])  # fmt: skip

    assert response.status_code == 201, response.json()
    assert response.json()["line_fields"] == [ENGRAVING, GIFT_WRAP]
    product = Product.objects.get(slug="pocket-knife")
    assert list(product.line_fields.values_list("key", "position")) == [
        ("engraving", 0),
        ("gift_wrap", 1),
    ]
    assert api.get("/api/v1/products/pocket-knife/").json()["line_fields"] == [
        ENGRAVING,
        GIFT_WRAP,
    ]


def test_staff_create_without_line_fields_gives_none(api, staff):
    response = api.post(
        PRODUCTS,
        {"name": "Tea Tin", "sku": "TIN-1", "price": "12.00", "stock": 4},
        format="json",
        headers=staff,
    )

    assert response.status_code == 201 and response.json()["line_fields"] == []


@pytest.mark.parametrize(
    "line_fields",
    [
        [{**GIFT_WRAP, "choices": []}],
        [{**ENGRAVING, "choices": ["A"]}],
        [ENGRAVING, {**ENGRAVING, "label": "Again"}],
        [{**ENGRAVING, "key": "Engraving"}],
        [{**ENGRAVING, "key": "x" * 33}],
        [{**ENGRAVING, "max_length": 501}],
        [{**ENGRAVING, "kind": "date"}],
        [{**ENGRAVING, "label": "nul\u0000"}],
        [{**GIFT_WRAP, "choices": ["Kraft", "Kraft"]}],
        [{**ENGRAVING, "key": f"k{n}"} for n in range(21)],
    ],
)
def test_staff_line_fields_that_do_not_fit_are_a_400_naming_line_fields(api, staff, line_fields):
    response = create(api, staff, line_fields)

    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert "line_fields" in response.json()["errors"]
    assert not Product.objects.exists()


def test_staff_patch_replaces_the_line_fields_and_an_empty_list_removes_them(api, staff):
    product = ProductFactory()
    ProductLineFieldFactory(product=product, key="monogram", label="Monogram")
    url = f"{PRODUCTS}{product.pk}/"

    replaced = api.patch(
        url, {"line_fields": [GIFT_WRAP, ENGRAVING]}, format="json", headers=staff
    )
    renamed = api.patch(url, {"name": "Renamed"}, format="json", headers=staff)

    assert replaced.status_code == 200
    assert replaced.json()["line_fields"] == [GIFT_WRAP, ENGRAVING]
    assert renamed.json()["line_fields"] == [GIFT_WRAP, ENGRAVING]  # not named: unchanged
    removed = api.patch(url, {"line_fields": []}, format="json", headers=staff)
    assert removed.json()["line_fields"] == []
    assert not ProductLineField.objects.exists()


def test_staff_patch_with_bad_line_fields_changes_nothing(api, staff):
    product = ProductFactory(name="Kept")
    ProductLineFieldFactory(product=product)

    response = api.patch(
        f"{PRODUCTS}{product.pk}/",
        {"name": "Changed", "line_fields": [ENGRAVING, ENGRAVING]},
        format="json",
        headers=staff,
    )

    assert response.status_code == 400
    assert "line_fields" in response.json()["errors"]
    product.refresh_from_db()
    assert product.name == "Kept" and product.line_fields.count() == 1


def test_a_shopper_may_not_set_line_fields(api):
    product = ProductFactory()

    response = api.patch(
        f"{PRODUCTS}{product.pk}/",
        {"line_fields": [ENGRAVING]},
        format="json",
        headers=token_headers(UserFactory()),
    )

    assert response.status_code == 403
    assert not ProductLineField.objects.exists()

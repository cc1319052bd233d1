import pytest

from catalog.models import Product, Variant
from tests.conftest import token_headers
from tests.factories import (
    CartLineFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


# --- shopper reads ---------------------------------------------------------------------


def test_products_are_paginated_searchable_and_filterable(api, settings):
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    for i in range(15):
        ProductFactory(name=f"Pan {i:02d}", category=kitchen)
    ProductFactory(name="Lamp")
    ProductFactory(name="Hidden", status=Product.Status.DRAFT)

    first = api.get("/api/v1/products/").json()
    second = api.get("/api/v1/products/?page=2").json()
    searched = api.get("/api/v1/products/?search=lamp").json()
    filtered = api.get("/api/v1/products/?category=kitchen&page_size=100").json()

    assert first["count"] == 16 and len(first["results"]) == settings.PRODUCTS_PER_PAGE
    assert first["next"].endswith("page=2") and second["previous"]
    assert [p["name"] for p in searched["results"]] == ["Lamp"]
    assert filtered["count"] == 15
    assert "Hidden" not in {p["name"] for p in first["results"] + second["results"]}


def test_a_page_past_the_end_is_404(api):
    ProductFactory()

    response = api.get("/api/v1/products/?page=9")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_product_list_item_shape(api):
    product = ProductFactory(name="Kettle", variants=0, category=CategoryFactory(slug="k"))
    VariantFactory(product=product, price="10.00")
    VariantFactory(product=product, price="14.50")
    ProductImageFactory(product=product)

    [item] = api.get("/api/v1/products/").json()["results"]

    assert item["min_price"] == "10.00" and item["max_price"] == "14.50"
    assert item["currency"] == "USD"
    assert item["category"]["slug"] == "k"
    assert item["image_url"].startswith("http://testserver/media/")
    assert item["in_stock"] is True


def test_product_detail_lists_active_variants_with_availability(api, settings):
    settings.LOW_STOCK_THRESHOLD = 5
    product = ProductFactory(name="Tee", variants=0)
    VariantFactory(product=product, name="Small", stock_on_hand=3, option_values={"size": "S"})
    VariantFactory(product=product, name="Old", status=Variant.Status.ARCHIVED)

    body = api.get(f"/api/v1/products/{product.slug}/").json()

    [variant] = body["variants"]
    assert variant["slug"] == "small"
    assert variant["available_stock"] == 3
    assert variant["stock_status"] == "low_stock"
    assert variant["stock_label"] == "Only 3 left"
    assert variant["option_values"] == {"size": "S"}


def test_unknown_and_draft_products_are_404(api):
    draft = ProductFactory(status=Product.Status.DRAFT)

    assert api.get(f"/api/v1/products/{draft.slug}/").status_code == 404
    assert api.get("/api/v1/products/nope/").status_code == 404


def test_categories(api):
    ProductFactory(category=CategoryFactory(name="Kitchen", slug="kitchen"))

    body = api.get("/api/v1/categories/").json()

    assert [c["slug"] for c in body] == ["kitchen"]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/cart/items/abc/", "/api/v1/orders/abc/"]
)
def test_unknown_api_path_is_a_problem_404(api, settings, debug, path):
    settings.DEBUG = debug  # `make run` has DEBUG on: mobile developers see the same answer

    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


# --- staff --------------------------------------------------------------------------------


@pytest.fixture
def staff():
    return token_headers(StaffFactory())


def test_staff_create_a_product_with_variants(api, staff):
    CategoryFactory(slug="kitchen")

    response = api.post(
        "/api/v1/admin/products/",
        {
            "name": "Linen Apron",
            "status": "active",
            "category": "kitchen",
            "variants": [
                {"name": "Natural", "sku": "APR-NAT", "price": "34.00", "stock": 20},
                {"name": "Charcoal", "sku": "APR-CHA", "price": "36.00", "stock": 0},
            ],
        },
        format="json",
        headers=staff,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "linen-apron" and body["status"] == "active"
    assert [
        (v["name"], v["slug"], v["sku"], v["price"], v["stock"], v["status"])
        for v in body["variants"]
    ] == [
        ("Natural", "natural", "APR-NAT", "34.00", 20, "active"),
        ("Charcoal", "charcoal", "APR-CHA", "36.00", 0, "active"),
    ]
    assert api.get("/api/v1/products/linen-apron/").status_code == 200


def test_staff_create_a_product_with_one_default_variant(api, staff):
    response = api.post(
        "/api/v1/admin/products/",
        {"name": "Tea Tin", "sku": "TIN-1", "price": "12.00", "stock": 40, "status": "active"},
        format="json",
        headers=staff,
    )

    assert response.status_code == 201
    [variant] = response.json()["variants"]
    assert (variant["name"], variant["sku"], variant["stock"]) == ("Default", "TIN-1", 40)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X"}, "sku"),
        ({"name": "X", "sku": "S", "price": "-1", "stock": 1}, "price"),
        ({"name": "X", "sku": "S", "price": "1", "stock": -1}, "stock"),
        ({"name": "X", "sku": "TAKEN", "price": "1", "stock": 1}, "sku"),
        ({"name": "X", "sku": "S", "price": "1", "stock": 1, "category": "nope"}, "category"),
        (
            {
                "name": "X",
                "variants": [
                    {"name": "A", "sku": "A1", "price": "1", "stock": 1},
                    {"name": "a", "sku": "A2", "price": "1", "stock": 1},
                ],
            },
            "variants",
        ),
        ({"name": "X\x00", "sku": "S", "price": "1", "stock": 1}, "name"),
    ],
)
def test_staff_create_rejects_bad_input_naming_the_field(api, staff, body, field):
    VariantFactory(sku="TAKEN")

    response = api.post("/api/v1/admin/products/", body, format="json", headers=staff)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Product.objects.filter(name__startswith="X").exists()


def test_staff_sync_stock_price_and_status(api, staff):
    variant = VariantFactory(stock_on_hand=5, price="10.00")

    response = api.patch(
        f"/api/v1/admin/variants/{variant.pk}/",
        {"stock": 42, "price": "11.50"},
        format="json",
        headers=staff,
    )
    archived = api.patch(
        f"/api/v1/admin/variants/{variant.pk}/",
        {"status": "archived"},
        format="json",
        headers=staff,
    )

    assert response.status_code == 200
    assert (response.json()["stock"], response.json()["price"]) == (42, "11.50")
    assert archived.json()["status"] == "archived"
    variant.refresh_from_db()
    assert (variant.stock_on_hand, str(variant.price), variant.status) == (42, "11.50", "archived")


def test_staff_update_a_product(api, staff):
    product = ProductFactory(name="Old Name", status=Product.Status.DRAFT)
    CategoryFactory(slug="home")

    response = api.patch(
        f"/api/v1/admin/products/{product.pk}/",
        {"name": "New Name", "status": "active", "category": "home"},
        format="json",
        headers=staff,
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["status"], response.json()["category"]) == (
        "New Name",
        "active",
        "home",
    )


def test_staff_retire_keeps_the_product_for_carts_and_answers_204_twice(api, staff):
    line = CartLineFactory()
    product = line.variant.product

    first = api.delete(f"/api/v1/admin/products/{product.pk}/", headers=staff)
    second = api.delete(f"/api/v1/admin/products/{product.pk}/", headers=staff)

    assert first.status_code == second.status_code == 204
    product.refresh_from_db()
    assert product.status == Product.Status.ARCHIVED
    line.refresh_from_db()
    assert line.variant is not None
    assert api.get(f"/api/v1/products/{product.slug}/").status_code == 404


def test_staff_endpoints_404_for_unknown_ids(api, staff):
    assert (
        api.patch("/api/v1/admin/products/999999/", {}, format="json", headers=staff).status_code
        == 404
    )
    assert (
        api.patch("/api/v1/admin/variants/999999/", {}, format="json", headers=staff).status_code
        == 404
    )
    assert api.delete("/api/v1/admin/products/999999/", headers=staff).status_code == 404
    assert api.delete(f"/api/v1/admin/products/{2**70}/", headers=staff).status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/admin/products/"),
        ("patch", "/api/v1/admin/products/1/"),
        ("delete", "/api/v1/admin/products/1/"),
        ("patch", "/api/v1/admin/variants/1/"),
    ],
)
def test_staff_endpoints_are_401_for_anonymous_and_403_for_shoppers(api, method, url):
    anonymous = getattr(api, method)(url, {}, format="json")
    shopper = getattr(api, method)(url, {}, format="json", headers=token_headers(UserFactory()))

    assert anonymous.status_code == 401
    assert shopper.status_code == 403
    assert shopper.json()["code"] == "permission_denied"


# Each staff endpoint and the model permission it needs (superusers hold them all).
STAFF_WRITES = {
    "create": ("post", "/api/v1/admin/products/", "catalog.add_product", 201),
    "update": ("patch", "/api/v1/admin/products/{product}/", "catalog.change_product", 200),
    "retire": ("delete", "/api/v1/admin/products/{product}/", "catalog.delete_product", 204),
    "sync": ("patch", "/api/v1/admin/variants/{variant}/", "catalog.change_variant", 200),
}
STAFF_BODIES = {
    "create": {
        "name": "Tea Tin",
        "sku": "TIN-1",
        "price": "12.00",
        "stock": 40,
        "status": "active",
    },
    "update": {"name": "Repriced", "status": "draft"},
    "retire": None,
    "sync": {"price": "0.01", "stock": 0},
}


def _catalog_state(variant):
    variant.refresh_from_db()
    variant.product.refresh_from_db()
    return (
        Product.objects.count(),
        variant.product.name,
        variant.product.status,
        str(variant.price),
        variant.stock_on_hand,
    )


def _staff_write(api, name, variant, headers):
    method, url, _permission, _status = STAFF_WRITES[name]
    url = url.format(product=variant.product_id, variant=variant.pk)
    return getattr(api, method)(url, STAFF_BODIES[name], format="json", headers=headers)


@pytest.mark.parametrize("name", STAFF_WRITES)
def test_staff_without_the_model_permission_get_403_and_change_nothing(api, name):
    variant = VariantFactory(price="10.00", stock_on_hand=5)
    before = _catalog_state(variant)
    other_permissions = [p for n, (*_, p, _s) in STAFF_WRITES.items() if n != name]

    for permissions in ([], other_permissions):
        staff = StaffFactory(is_superuser=False, permissions=permissions)
        response = _staff_write(api, name, variant, token_headers(staff))

        assert response.status_code == 403, permissions
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "permission_denied"
        assert _catalog_state(variant) == before


@pytest.mark.parametrize("name", STAFF_WRITES)
def test_staff_holding_the_model_permission_may_write(api, name):
    variant = VariantFactory(price="10.00", stock_on_hand=5)
    *_, permission, expected = STAFF_WRITES[name]
    before = _catalog_state(variant)
    staff = StaffFactory(is_superuser=False, permissions=[permission])

    response = _staff_write(api, name, variant, token_headers(staff))

    assert response.status_code == expected
    assert _catalog_state(variant) != before


@pytest.mark.parametrize(
    "query", ["search=%00", "category=%00", "search=%FF%FE", "page=-1", "page_size=abc"]
)
def test_odd_query_strings_never_500(api, query):
    ProductFactory()

    response = api.get(f"/api/v1/products/?{query}")

    assert response.status_code in (200, 404)


def test_products_sort_like_the_product_list(api):
    ProductFactory(name="Bronze Bowl", variants__price="30.00")
    ProductFactory(name="Clay Cup", variants__price="10.00")
    ProductFactory(name="Ash Tray", variants__price="20.00")

    def names(sort):
        return [p["name"] for p in api.get(f"/api/v1/products/?sort={sort}").json()["results"]]

    assert names("price-desc") == ["Bronze Bowl", "Ash Tray", "Clay Cup"]
    assert names("price-asc") == ["Clay Cup", "Ash Tray", "Bronze Bowl"]
    assert names("newest") == ["Ash Tray", "Clay Cup", "Bronze Bowl"]
    assert names("nonsense") == ["Ash Tray", "Bronze Bowl", "Clay Cup"]


@pytest.mark.postgres
def test_search_is_ranked_and_forgives_typos_as_on_the_pages(api):
    ProductFactory(name="Bulb Pack", description="Warm bulbs for any lamp.", variants__price=30)
    ProductFactory(name="Architect Desk Lamp", variants__price=20)
    ProductFactory(name="Noise-Cancelling Headphones")

    def names(query):
        return [p["name"] for p in api.get(f"/api/v1/products/?{query}").json()["results"]]

    assert names("search=lamp") == ["Architect Desk Lamp", "Bulb Pack"]
    assert names("search=hedphones") == ["Noise-Cancelling Headphones"]
    assert names("search=lamp&sort=price-desc") == ["Bulb Pack", "Architect Desk Lamp"]


def test_image_urls_stay_the_original_pictures(api, client):
    product = ProductFactory(name="Kettle")
    image = ProductImageFactory(product=product, image__width=800, image__height=800)

    listed = api.get("/api/v1/products/").json()["results"][0]["image_url"]
    detailed = api.get(f"/api/v1/products/{product.slug}/").json()["images"][0]["url"]

    assert listed == detailed == "http://testserver" + image.image.url
    assert client.get(image.image.url).status_code == 200

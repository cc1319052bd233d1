import pytest

from catalog.models import Product, Variant
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    product = ProductFactory(name="Kettle", variants__stock_on_hand=2)
    ProductImageFactory(product=product)
    return product


ADMIN_PAGES = [
    "/admin/",
    "/admin/catalog/category/",
    "/admin/catalog/category/add/",
    "/admin/catalog/product/",
    "/admin/catalog/product/add/",
    "/admin/catalog/product/?stock=low",
    "/admin/catalog/product/?stock=out",
    "/admin/catalog/product/?q=kettle",
    "/admin/catalog/variant/",
    "/admin/catalog/variant/?stock=low",
    "/admin/shop/user/",
    "/admin/shop/user/add/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_open_for_staff(staff_client, catalog, url):
    assert staff_client.get(url).status_code == 200


def test_product_change_page_shows_variants_inline_and_image_preview(staff_client, catalog):
    response = staff_client.get(f"/admin/catalog/product/{catalog.pk}/change/")

    assert response.status_code == 200
    assert catalog.variants.get().sku in response.text
    assert catalog.images.get().image.url in response.text


@pytest.mark.parametrize("url", ["/admin/", "/admin/catalog/product/", "/admin/catalog/variant/"])
def test_admin_is_closed_to_shoppers(shopper_client, url):
    response = shopper_client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_low_stock_filter_lists_only_products_running_low(staff_client, settings):
    settings.LOW_STOCK_THRESHOLD = 5
    ProductFactory(name="Plenty Pot", variants__stock_on_hand=50)
    ProductFactory(name="Scarce Spoon", variants__stock_on_hand=2)
    ProductFactory(name="Gone Grater", variants__stock_on_hand=0)

    low = staff_client.get("/admin/catalog/product/?stock=low").text
    out = staff_client.get("/admin/catalog/product/?stock=out").text

    assert "Scarce Spoon" in low and "Plenty Pot" not in low and "Gone Grater" not in low
    assert "Gone Grater" in out and "Scarce Spoon" not in out


def test_list_shows_price_and_stock(staff_client):
    product = ProductFactory(name="Pan", variants=0)
    VariantFactory(product=product, price="10.00", stock_on_hand=4)
    VariantFactory(product=product, price="15.50", stock_on_hand=6)

    response = staff_client.get("/admin/catalog/product/")

    assert "$10.00 – $15.50" in response.text
    assert '<td class="field-stock">10</td>' in response.text


# The line fields inline's empty management form (the product has none).
NO_LINE_FIELDS = {
    "line_fields-TOTAL_FORMS": "0",
    "line_fields-INITIAL_FORMS": "0",
    "line_fields-MIN_NUM_FORMS": "0",
    "line_fields-MAX_NUM_FORMS": "20",
}


def test_staff_create_a_product_with_its_variant(staff_client):
    category = CategoryFactory()
    data = {
        "name": "Tea Tin",
        "slug": "tea-tin",
        "description": "",
        "status": "active",
        "category": category.pk,
        "position": "0",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-name": "Default",
        "variants-0-sku": "TIN-1",
        "variants-0-price": "12.00",
        "variants-0-stock_on_hand": "7",
        "variants-0-option_values": "{}",
        "variants-0-status": "active",
        "variants-0-position": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        **NO_LINE_FIELDS,
    }

    response = staff_client.post("/admin/catalog/product/add/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Variant.objects.get(sku="TIN-1").product.name == "Tea Tin"


def test_staff_cannot_save_a_product_without_a_variant(staff_client):
    data = {
        "name": "Bare",
        "slug": "bare",
        "status": "active",
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        **NO_LINE_FIELDS,
    }

    response = staff_client.post("/admin/catalog/product/add/", data)

    assert response.status_code == 200
    assert not Product.objects.filter(slug="bare").exists()


# --- line fields (an engraving, a gift wrap) ----------------------------------------------


def _product_form(**line_fields):
    data = {
        "name": "Pocket Knife",
        "slug": "pocket-knife",
        "position": "0",
        "status": "active",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-name": "Default",
        "variants-0-sku": "KNF-1",
        "variants-0-price": "45.00",
        "variants-0-stock_on_hand": "7",
        "variants-0-option_values": "{}",
        "variants-0-status": "active",
        "variants-0-position": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        **NO_LINE_FIELDS,
    }
    rows = [row for key, row in sorted(line_fields.items())]
    data["line_fields-TOTAL_FORMS"] = str(len(rows))
    for n, row in enumerate(rows):
        data.update({f"line_fields-{n}-{name}": value for name, value in row.items()})
    return data


ENGRAVING_ROW = {"key": "engraving", "label": "Engraving", "kind": "text", "max_length": "20",
                 "choices": "", "position": "0"}  # fmt: skip
GIFT_WRAP_ROW = {"key": "gift_wrap", "label": "Gift wrap", "kind": "choice", "max_length": "100",
                 "choices": "Kraft paper\r\n\r\n Linen cloth \r\n", "position": "1",
                 "required": "on"}  # fmt: skip


def test_staff_give_a_product_line_fields_in_its_admin_page(staff_client):
    response = staff_client.post(
        "/admin/catalog/product/add/", _product_form(a=ENGRAVING_ROW, b=GIFT_WRAP_ROW)
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    product = Product.objects.get(slug="pocket-knife")
    assert [
        (f.key, f.kind, f.required, f.max_length, f.choices) for f in product.line_fields.all()
    ] == [
        ("engraving", "text", False, 20, []),
        ("gift_wrap", "choice", True, 100, ["Kraft paper", "Linen cloth"]),
    ]
    page = staff_client.get(f"/admin/catalog/product/{product.pk}/change/").text
    assert "Kraft paper\nLinen cloth</textarea>" in page


@pytest.mark.parametrize(
    "rows",
    [
        {"a": {**GIFT_WRAP_ROW, "choices": ""}},
        {"a": ENGRAVING_ROW, "b": {**GIFT_WRAP_ROW, "key": "engraving"}},
        {"a": {**ENGRAVING_ROW, "key": "Engraving!"}},
        {"a": {**ENGRAVING_ROW, "max_length": "501"}},
    ],
)
def test_staff_see_what_is_wrong_with_a_line_field(staff_client, rows):
    response = staff_client.post("/admin/catalog/product/add/", _product_form(**rows))

    assert response.status_code == 200
    assert not Product.objects.filter(slug="pocket-knife").exists()

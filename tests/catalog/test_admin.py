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
    }

    response = staff_client.post("/admin/catalog/product/add/", data)

    assert response.status_code == 200
    assert not Product.objects.filter(slug="bare").exists()

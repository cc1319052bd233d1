import pytest

from catalog import selectors
from catalog.models import Product, Variant
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_only_active_products_with_an_active_variant_are_shown():
    shown = ProductFactory()
    ProductFactory(status=Product.Status.DRAFT)
    ProductFactory(status=Product.Status.ARCHIVED)
    ProductFactory(variants=0)
    ProductFactory(variants__status=Variant.Status.ARCHIVED)

    assert list(selectors.product_list()) == [shown]


def test_product_get_refuses_what_shoppers_may_not_see():
    draft = ProductFactory(status=Product.Status.DRAFT)
    bare = ProductFactory(variants=0)

    for product in (draft, bare):
        with pytest.raises(Product.DoesNotExist):
            selectors.product_get(slug=product.slug)


def test_search_matches_name_description_category_and_sku():
    kitchen = CategoryFactory(name="Kitchen")
    kettle = ProductFactory(name="Copper Kettle", category=kitchen)
    lamp = ProductFactory(name="Lamp", description="Warm light for reading")
    sku_match = ProductFactory(name="Mystery")
    VariantFactory(product=sku_match, sku="ZX-99")

    def names(query):
        return {p.name for p in selectors.product_list(query=query)}

    assert names("kettle") == {kettle.name}
    assert names("READING") == {lamp.name}
    assert names("kitchen") == {kettle.name}
    assert names("zx-99") == {sku_match.name}


def test_category_filter_and_price_range():
    shoes = CategoryFactory(slug="shoes")
    boot = ProductFactory(category=shoes, variants=0)
    VariantFactory(product=boot, price=80)
    VariantFactory(product=boot, price=120)
    VariantFactory(product=boot, price=999, status=Variant.Status.ARCHIVED)
    ProductFactory()

    [listed] = selectors.product_list(category_slug="shoes")

    assert listed == boot
    assert (listed.min_price, listed.max_price) == (80, 120)

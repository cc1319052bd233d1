import pytest

from inventory.selectors import product_get_with_stock, product_variant_choices
from tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_variant_choices_describe_stock_as_shoppers_read_it(settings):
    settings.LOW_STOCK_THRESHOLD = 5
    product = ProductFactory(variants=0)
    VariantFactory(product=product, name="Plenty", stock_on_hand=20)
    VariantFactory(product=product, name="Few", stock_on_hand=3)
    VariantFactory(product=product, name="None", stock_on_hand=0)

    choices = product_variant_choices(product=product_get_with_stock(slug=product.slug))

    assert [c.status.label for c in choices] == ["In stock", "Only 3 left", "Out of stock"]
    assert [c.status.can_buy for c in choices] == [True, True, False]

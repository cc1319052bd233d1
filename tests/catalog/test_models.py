import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Variant
from tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_sku_is_unique():
    VariantFactory(sku="MUG-1")

    with pytest.raises(IntegrityError):
        VariantFactory(sku="MUG-1")


def test_stock_can_never_go_below_zero():
    variant = VariantFactory(stock_on_hand=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=variant.pk).update(stock_on_hand=F("stock_on_hand") - 3)

    variant.refresh_from_db()
    assert variant.stock_on_hand == 2


def test_price_can_never_be_negative():
    with pytest.raises(IntegrityError):
        VariantFactory(price=-1)


def test_variant_slug_is_its_name_slugified_and_unique_within_its_product():
    product = ProductFactory(variants=0)
    large = VariantFactory(product=product, name="Extra Large / Blue")

    assert large.slug == "extra-large-blue"
    with pytest.raises(ValidationError):
        Variant(product=product, name="extra large blue", sku="X2", price=1).full_clean()
    # The same name is fine on another product.
    VariantFactory(product=ProductFactory(variants=0), name="Extra Large / Blue")


def test_variant_is_on_sale_only_below_its_compare_at_price():
    assert VariantFactory(price=10, compare_at_price=15).is_on_sale
    assert not VariantFactory(price=10, compare_at_price=10).is_on_sale
    assert not VariantFactory(price=10, compare_at_price=None).is_on_sale

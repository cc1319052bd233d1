from tests.factories.cart import CartFactory, CartLineFactory
from tests.factories.catalog import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from tests.factories.shop import DEFAULT_PASSWORD, StaffFactory, UserFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "CartFactory",
    "CartLineFactory",
    "CategoryFactory",
    "ProductFactory",
    "ProductImageFactory",
    "StaffFactory",
    "UserFactory",
    "VariantFactory",
]

from tests.factories.cart import CartFactory, CartLineFactory
from tests.factories.catalog import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductLineFieldFactory,
    VariantFactory,
)
from tests.factories.checkout import PromoCodeFactory, ShippingMethodFactory
from tests.factories.giftcards import gift_card, gift_card_variant
from tests.factories.shop import DEFAULT_PASSWORD, StaffFactory, UserFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "CartFactory",
    "CartLineFactory",
    "CategoryFactory",
    "ProductFactory",
    "ProductImageFactory",
    "ProductLineFieldFactory",
    "PromoCodeFactory",
    "ShippingMethodFactory",
    "StaffFactory",
    "UserFactory",
    "VariantFactory",
    "gift_card",
    "gift_card_variant",
]

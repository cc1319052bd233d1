import factory

from cart.models import Cart, CartLine
from tests.factories.catalog import VariantFactory


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    variant = factory.SubFactory(VariantFactory)
    quantity = 1
    unit_price = factory.LazyAttribute(lambda o: o.variant.price)
    sku = factory.LazyAttribute(lambda o: o.variant.sku)
    product_name = factory.LazyAttribute(lambda o: o.variant.product.name)
    variant_name = factory.LazyAttribute(lambda o: o.variant.name)

import factory

from cart.models import Cart, CartLine
from catalog.properties import properties_key
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
    properties = factory.LazyFunction(dict)
    properties_key = factory.LazyAttribute(lambda o: properties_key(o.properties))
    properties_display = factory.LazyAttribute(
        lambda o: [
            {"key": k, "label": k.capitalize(), "value": v} for k, v in o.properties.items()
        ]
    )

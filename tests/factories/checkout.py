from decimal import Decimal

import factory

from checkout.models import PromoCode, ShippingMethod


class PromoCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromoCode

    code = factory.Sequence(lambda n: f"SAVE{n}")
    kind = PromoCode.Kind.PERCENT
    value = Decimal("10")


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"method-{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())
    price = Decimal("5.00")

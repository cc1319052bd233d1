from decimal import Decimal

import factory

from catalog.models import Category, Product, ProductImage, ProductLineField, Variant


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """An active product; pass `variants=0` for one without any variant."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = factory.Faker("sentence")
    status = Product.Status.ACTIVE
    category = factory.SubFactory(CategoryFactory)

    @factory.post_generation
    def variants(obj, create, extracted, **kwargs):
        count = 1 if extracted is None else extracted
        if create:
            for _ in range(count):
                VariantFactory(product=obj, **kwargs)


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory, variants=0)
    name = factory.Sequence(lambda n: f"Variant {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("25.00")
    stock_on_hand = 50
    status = Variant.Status.ACTIVE


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.django.ImageField(width=40, height=40, color="teal")
    alt_text = factory.LazyAttribute(lambda o: o.product.name)


class ProductLineFieldFactory(factory.django.DjangoModelFactory):
    """An optional engraving text of at most 20 characters, unless told otherwise."""

    class Meta:
        model = ProductLineField

    product = factory.SubFactory(ProductFactory)
    key = "engraving"
    label = "Engraving"
    kind = ProductLineField.Kind.TEXT
    required = False
    max_length = 20
    choices = factory.LazyFunction(list)
    position = factory.Sequence(int)

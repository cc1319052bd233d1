from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Product, ProductLineField, Variant
from catalog.properties import (
    LINE_CHOICE_MAX,
    LINE_FIELD_KEY_MAX,
    LINE_FIELD_KEY_PATTERN,
    LINE_FIELDS_PER_PRODUCT,
    LINE_VALUE_CEILING,
)
from inventory.availability import stock_status
from shop.links import absolute_url

MONEY = {"max_digits": 10, "decimal_places": 2}


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="In the request's language (Accept-Language).",
    )
    slug = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


def _image_url(serializer, product) -> str | None:
    image = next(iter(product.images.all()), None)
    return absolute_url(serializer.context["request"], image.image.url) if image else None


class ProductListSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    category = CategorySerializer(read_only=True, allow_null=True)
    min_price = serializers.DecimalField(**MONEY, read_only=True)
    max_price = serializers.DecimalField(**MONEY, read_only=True)
    currency = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()

    def get_currency(self, product) -> str:
        return settings.SHOP_CURRENCY

    def get_image_url(self, product) -> str | None:
        return _image_url(self, product)

    def get_in_stock(self, product) -> bool:
        return product.in_stock


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="In the request's language (Accept-Language); the default variant's is translated.",
    )
    slug = serializers.CharField(read_only=True)
    sku = serializers.CharField(read_only=True)
    price = serializers.DecimalField(**MONEY, read_only=True)
    compare_at_price = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    option_values = serializers.DictField(read_only=True)
    available_stock = serializers.IntegerField(read_only=True)
    stock_status = serializers.SerializerMethodField(
        help_text="in_stock, low_stock, out_of_stock or unavailable"
    )
    stock_label = serializers.SerializerMethodField()

    def get_stock_status(self, variant) -> str:
        return stock_status(variant=variant, available=variant.available_stock).code

    def get_stock_label(self, variant) -> str:
        return stock_status(variant=variant, available=variant.available_stock).label


class ProductImageSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    alt_text = serializers.CharField(read_only=True)

    def get_url(self, image) -> str:
        return absolute_url(self.context["request"], image.image.url)


class LineFieldSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True, help_text="Send values as properties[key].")
    label = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=ProductLineField.Kind.choices, read_only=True)
    required = serializers.BooleanField(read_only=True)
    max_length = serializers.IntegerField(read_only=True)
    choices = serializers.ListField(child=serializers.CharField(), read_only=True)


class ProductDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category = CategorySerializer(read_only=True, allow_null=True)
    currency = serializers.SerializerMethodField()
    images = ProductImageSerializer(many=True, read_only=True, source="images.all")
    variants = VariantSerializer(many=True, read_only=True, source="active_variants")
    line_fields = LineFieldSerializer(
        many=True,
        read_only=True,
        source="line_fields.all",
        help_text="What a shopper may or must say about the item when adding it.",
    )

    def get_currency(self, product) -> str:
        return settings.SHOP_CURRENCY


# --- staff -------------------------------------------------------------------------


class StaffVariantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, default="Default")
    sku = serializers.CharField(max_length=64)
    price = serializers.DecimalField(**MONEY, min_value=0)
    compare_at_price = serializers.DecimalField(
        **MONEY, min_value=0, required=False, allow_null=True
    )
    stock = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    status = serializers.ChoiceField(choices=Variant.Status.choices, default=Variant.Status.ACTIVE)
    option_values = serializers.DictField(
        child=serializers.CharField(max_length=100), required=False
    )

    def validate_option_values(self, value: dict) -> dict:
        for key in value:
            if not key or len(key) > 50 or not key.isprintable():
                raise serializers.ValidationError("Option names are 1 to 50 printable characters.")
        return value


class StaffLineFieldInputSerializer(serializers.Serializer):
    key = serializers.RegexField(LINE_FIELD_KEY_PATTERN, max_length=LINE_FIELD_KEY_MAX)
    label = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(
        choices=ProductLineField.Kind.choices, default=ProductLineField.Kind.TEXT
    )
    required = serializers.BooleanField(default=False)
    max_length = serializers.IntegerField(min_value=1, max_value=LINE_VALUE_CEILING, default=100)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=LINE_CHOICE_MAX),
        required=False,
        default=list,
        max_length=100,
        help_text="The options of a choice field.",
    )


LINE_FIELDS_HELP = (
    "Fields shoppers fill in when adding (an engraving, a gift wrap); on update they replace "
    "the product's fields, and an empty list removes them."
)


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "nullable": True,
        "description": "A category slug or id.",
    }
)
class CategoryRefField(serializers.Field):
    """A category named by slug or id."""

    default_error_messages = {"invalid": "Give a category slug or id."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, str) and (not data or len(data) > 120 or "\x00" in data):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class StaffProductCreateInputSerializer(serializers.Serializer):
    """Either `variants`, or the fields of one default variant (`sku`, `price`, `stock`)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    status = serializers.ChoiceField(choices=Product.Status.choices, default=Product.Status.ACTIVE)
    category = CategoryRefField(required=False, allow_null=True)
    variants = StaffVariantInputSerializer(many=True, required=False, max_length=100)
    sku = serializers.CharField(max_length=64, required=False)
    price = serializers.DecimalField(**MONEY, min_value=0, required=False)
    stock = serializers.IntegerField(min_value=0, max_value=2_000_000_000, required=False)
    line_fields = StaffLineFieldInputSerializer(
        many=True, required=False, max_length=LINE_FIELDS_PER_PRODUCT, help_text=LINE_FIELDS_HELP
    )

    def validate(self, attrs):
        if attrs.get("variants"):
            return attrs
        missing = {
            f: ["This field is required without `variants`."]
            for f in ("sku", "price", "stock")
            if f not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        attrs["variants"] = [
            {
                "name": "Default",
                "sku": attrs["sku"],
                "price": attrs["price"],
                "stock": attrs["stock"],
                "status": Variant.Status.ACTIVE,
            }
        ]
        return attrs


class StaffProductUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    status = serializers.ChoiceField(choices=Product.Status.choices, required=False)
    category = CategoryRefField(required=False, allow_null=True)
    line_fields = StaffLineFieldInputSerializer(
        many=True,
        required=False,
        allow_empty=True,
        max_length=LINE_FIELDS_PER_PRODUCT,
        help_text=LINE_FIELDS_HELP,
    )


class StaffVariantUpdateInputSerializer(serializers.Serializer):
    stock = serializers.IntegerField(min_value=0, max_value=2_000_000_000, required=False)
    price = serializers.DecimalField(**MONEY, min_value=0, required=False)
    compare_at_price = serializers.DecimalField(
        **MONEY, min_value=0, required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Variant.Status.choices, required=False)


class StaffVariantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    sku = serializers.CharField(read_only=True)
    price = serializers.DecimalField(**MONEY, read_only=True)
    compare_at_price = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    stock = serializers.IntegerField(source="stock_on_hand", read_only=True)
    status = serializers.CharField(read_only=True)


class StaffProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category = serializers.CharField(source="category.slug", read_only=True, allow_null=True)
    variants = StaffVariantSerializer(many=True, read_only=True, source="variants.all")
    line_fields = LineFieldSerializer(many=True, read_only=True, source="line_fields.all")

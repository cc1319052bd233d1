from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cart.services.shared import REASONS
from catalog.properties import MAX_PROPERTIES
from shop.links import absolute_url

MAX_ID = 2**63 - 1
MONEY = {"max_digits": 12, "decimal_places": 2, "read_only": True}
PROPERTIES_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "maxProperties": MAX_PROPERTIES,
    "description": "What the shopper says about the item, by the product's line field keys "
    '(`{"engraving": "For Ada"}`); other properties make another line. A missing required '
    "field or a value too long is a 400 whose `errors` name `properties.<key>`.",
}


# --- input ---------------------------------------------------------------------


@extend_schema_field(PROPERTIES_SCHEMA)
class LinePropertiesField(serializers.Field):
    """`{key: value}`; the cart service checks keys and values against the product's line
    fields (catalog/properties.py), so the API and the product page answer alike."""

    default_error_messages = {
        "invalid": "Expected an object of text values, by line field key.",
        "too_many": f"At most {MAX_PROPERTIES} properties.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict) or any(not isinstance(k, str) for k in data):
            self.fail("invalid")
        if len(data) > MAX_PROPERTIES:
            self.fail("too_many")
        return data

    def to_representation(self, value):
        return value


class CartLineAddInputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    properties = LinePropertiesField(required=False, default=dict)


class CartLinesInputSerializer(serializers.Serializer):
    items = CartLineAddInputSerializer(many=True, allow_empty=False, max_length=500)


class CartReplaceInputSerializer(serializers.Serializer):
    items = CartLineAddInputSerializer(many=True, allow_empty=True, max_length=500)


class CartLineUpdateInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(
        min_value=0, max_value=1_000_000, help_text="0 removes the line."
    )


class CartMergeInputSerializer(serializers.Serializer):
    cart_token = serializers.CharField(max_length=64)


class CartUpdateInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="What the shopper wants the shop to know; at most 500 characters, goes "
        "with the order. Empty clears it.",
    )


# --- output --------------------------------------------------------------------


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    variant_id = serializers.IntegerField(read_only=True, allow_null=True)
    product_id = serializers.IntegerField(read_only=True, allow_null=True)
    sku = serializers.CharField(read_only=True)
    product_name = serializers.CharField(read_only=True)
    variant_name = serializers.CharField(
        source="variant_display_name",
        read_only=True,
        help_text="In the request's language (Accept-Language); the default variant's is translated.",
    )
    product_slug = serializers.CharField(read_only=True)
    image_url = serializers.SerializerMethodField()
    quantity = serializers.IntegerField(read_only=True)
    unit_price = serializers.DecimalField(**MONEY, help_text="The price when it was added.")
    current_price = serializers.DecimalField(**MONEY, help_text="The price charged now.")
    line_total = serializers.DecimalField(**MONEY)
    available_stock = serializers.IntegerField(read_only=True)
    is_available = serializers.BooleanField(read_only=True)
    properties = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What the shopper said about the item, by line field key.",
    )

    def get_image_url(self, line) -> str | None:
        return absolute_url(self.context["request"], line.image_url) or None


class KeptItemSerializer(serializers.Serializer):
    """A saved item or a wishlist item, at today's price and stock."""

    id = serializers.IntegerField(read_only=True)
    variant_id = serializers.IntegerField(read_only=True, allow_null=True)
    product_id = serializers.IntegerField(read_only=True, allow_null=True)
    product_name = serializers.CharField(read_only=True)
    variant_name = serializers.CharField(source="variant_display_name", read_only=True)
    product_slug = serializers.CharField(read_only=True)
    image_url = serializers.SerializerMethodField()
    current_price = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Null for a variant deleted since."
    )
    available_stock = serializers.IntegerField(read_only=True)
    is_available = serializers.BooleanField(
        read_only=True, help_text="It can be bought now: on sale and in stock."
    )
    stock_status = serializers.ChoiceField(
        source="stock_code",
        choices=["in_stock", "low_stock", "out_of_stock", "unavailable"],
        read_only=True,
    )
    properties = serializers.DictField(child=serializers.CharField(), read_only=True)

    def get_image_url(self, item) -> str | None:
        return absolute_url(self.context["request"], item.image_url) or None


class SavedItemSerializer(KeptItemSerializer):
    quantity = serializers.IntegerField(
        read_only=True, help_text="As it was in the cart; moving back adds as many."
    )


class WishlistSerializer(serializers.Serializer):
    items = KeptItemSerializer(many=True, read_only=True)
    count = serializers.IntegerField(read_only=True)
    token = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="A guest's cart token, which names their wishlist too (send it as "
        "X-Cart-Token); null for a user.",
    )


class WishlistItemInputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CartSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="cart_id", read_only=True, allow_null=True)
    token = serializers.SerializerMethodField(
        help_text="A guest cart's token, to send as X-Cart-Token; null for a user's cart."
    )
    items = CartLineSerializer(source="lines", many=True, read_only=True)
    subtotal = serializers.DecimalField(**MONEY)
    discount_total = serializers.DecimalField(**MONEY)
    estimated_tax = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    total_items = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True, help_text="Also the ETag.")
    note = serializers.CharField(read_only=True, help_text="The shopper's note to the shop.")
    saved_items = SavedItemSerializer(
        many=True,
        read_only=True,
        help_text="Lines saved for later: never in the totals, never reserved.",
    )

    def get_token(self, summary) -> str | None:
        return None if summary.is_owned_by_user else summary.token


class CartSummarySerializer(serializers.Serializer):
    total_items = serializers.IntegerField(read_only=True)
    subtotal = serializers.DecimalField(**MONEY)
    discount_total = serializers.DecimalField(**MONEY)
    estimated_tax = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(read_only=True)


class CartIssueSerializer(serializers.Serializer):
    line_id = serializers.IntegerField()
    issue_type = serializers.ChoiceField(
        choices=["out_of_stock", "insufficient_stock", "price_changed", "unavailable"]
    )
    message = serializers.CharField()
    available_quantity = serializers.IntegerField()


class CartValidationSerializer(serializers.Serializer):
    """A CartSummary's verdict: may it go to checkout, and what is wrong with its lines."""

    is_valid = serializers.BooleanField()
    issues = serializers.SerializerMethodField()

    @extend_schema_field(CartIssueSerializer(many=True))
    def get_issues(self, summary) -> list[dict]:
        return CartIssueSerializer(summary.issue_reports(), many=True).data


# --- shared carts (issue 15, point 3) --------------------------------------------


class SharedCartLinkSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="The shared cart's page, to send.")
    token = serializers.CharField(
        read_only=True, help_text="Names the shared cart in `shared-carts/{token}/`."
    )
    expires_at = serializers.DateTimeField(read_only=True)

    def get_url(self, link) -> str:
        return absolute_url(self.context["request"], link.path)


SHARED_REASONS = list(REASONS)


class SharedCartItemSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(read_only=True, allow_null=True)
    product_id = serializers.IntegerField(read_only=True, allow_null=True)
    product_name = serializers.CharField(read_only=True)
    variant_name = serializers.CharField(source="variant_display_name", read_only=True)
    product_slug = serializers.CharField(read_only=True)
    image_url = serializers.SerializerMethodField()
    quantity = serializers.IntegerField(read_only=True, help_text="As shared.")
    addable_quantity = serializers.IntegerField(
        read_only=True,
        help_text="What adding the shared cart puts in a cart holding none of it yet.",
    )
    current_price = serializers.DecimalField(**MONEY, allow_null=True)
    line_total = serializers.DecimalField(**MONEY, help_text="current_price × addable_quantity.")
    available_stock = serializers.IntegerField(read_only=True)
    is_available = serializers.BooleanField(read_only=True, help_text="Any of it can be added.")
    issue = serializers.ChoiceField(
        choices=SHARED_REASONS,
        read_only=True,
        allow_null=True,
        help_text="Why not all of it can be added, or null.",
    )
    properties = serializers.DictField(child=serializers.CharField(), read_only=True)

    def get_image_url(self, item) -> str | None:
        return absolute_url(self.context["request"], item.image_url) or None


class SharedCartSerializer(serializers.Serializer):
    items = SharedCartItemSerializer(many=True, read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    subtotal = serializers.DecimalField(**MONEY, help_text="Of what can be added, today.")
    total_items = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)


class SharedLineOutcomeSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    requested = serializers.IntegerField()
    added = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=SHARED_REASONS, allow_null=True)


class SharedCartAddReportSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What was added, capped or left out, in words.")
    added_items = serializers.IntegerField(source="added_units")
    capped = SharedLineOutcomeSerializer(many=True)
    left_out = SharedLineOutcomeSerializer(many=True)


class SharedCartAddSerializer(CartSerializer):
    """The visitor's Cart after adding a shared cart, and what was capped or left out."""

    shared_cart_add = serializers.SerializerMethodField()

    @extend_schema_field(SharedCartAddReportSerializer)
    def get_shared_cart_add(self, summary) -> dict:
        return SharedCartAddReportSerializer(self.context["result"]).data

from rest_framework import serializers

from checkout.address import validate_country, validate_phone, validate_postal_code
from checkout.claims import MAX_GIFT_CARDS

MONEY = {"max_digits": 12, "decimal_places": 2}


class ShippingAddressSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    postal_code = serializers.CharField(max_length=20, validators=[validate_postal_code])
    country = serializers.CharField(
        min_length=2,
        max_length=2,
        validators=[validate_country],
        help_text="ISO 3166 alpha-2, e.g. US.",
    )
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", validators=[validate_phone]
    )


class CheckoutInputSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Required for guests."
    )
    shipping_address = ShippingAddressSerializer()
    shipping_method = serializers.CharField(
        max_length=40, help_text="A code from checkout/shipping-methods."
    )
    promo_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    expected_total = serializers.DecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        help_text="The total the shopper saw; if prices moved since, 409 `total_changed`.",
    )
    gift_cards = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_GIFT_CARDS,
        required=False,
        default=list,
        help_text="Gift card codes, in any case, with or without spaces or dashes. Each pays "
        "min(its balance, what is left to pay); Stripe charges the rest.",
    )
    redeem_points = serializers.IntegerField(
        min_value=0,
        max_value=10**9,
        required=False,
        default=0,
        help_text="Loyalty points to redeem (logged-in shoppers), up to the merchandise total.",
    )

    def validate(self, attrs):
        user = self.context["request"].user
        if not attrs.get("email"):
            if not user.is_authenticated:
                raise serializers.ValidationError(
                    {"email": ["Guests must give an email address."]}
                )
            attrs["email"] = user.email
        return attrs


class CheckoutStartedSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(source="order.pk")
    order_number = serializers.CharField(source="order.number")
    payment_url = serializers.URLField()
    expires_at = serializers.DateTimeField(source="order.expires_at")


class ShippingMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(
        source="display_name", help_text="In the request's language (Accept-Language)."
    )
    price = serializers.DecimalField(**MONEY)
    free_over = serializers.DecimalField(**MONEY, allow_null=True)


class OrderLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    product_name = serializers.CharField()
    variant_name = serializers.CharField(
        source="variant_display_name",
        help_text="In the request's language (Accept-Language); the default variant's is translated.",
    )
    unit_price = serializers.DecimalField(**MONEY)
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(**MONEY)
    properties = serializers.DictField(
        child=serializers.CharField(),
        help_text="What the shopper said about the item, by line field key.",
    )


class OrderClaimSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="`discount` (lowers the total: points) or `tender` (pays part of it: gift cards)."
    )
    source = serializers.CharField(help_text="`points` or `gift_card`.")
    reference = serializers.CharField(help_text="A gift card's last four, or the points.")
    amount = serializers.DecimalField(**MONEY)
    points = serializers.IntegerField()


class OrderAddressSerializer(serializers.Serializer):
    name = serializers.CharField(source="ship_name")
    line1 = serializers.CharField(source="ship_line1")
    line2 = serializers.CharField(source="ship_line2")
    city = serializers.CharField(source="ship_city")
    postal_code = serializers.CharField(source="ship_postal_code")
    country = serializers.CharField(source="ship_country")
    phone = serializers.CharField(source="ship_phone")


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    email = serializers.EmailField()
    currency = serializers.CharField()
    subtotal = serializers.DecimalField(**MONEY)
    discount_total = serializers.DecimalField(**MONEY)
    shipping_total = serializers.DecimalField(**MONEY)
    tax_total = serializers.DecimalField(**MONEY)
    points_redeemed = serializers.IntegerField()
    points_discount = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    gift_card_total = serializers.DecimalField(
        **MONEY, help_text="What gift cards pay of the total."
    )
    amount_due = serializers.DecimalField(
        **MONEY, help_text="What the payment provider charges: total - gift_card_total."
    )
    claims = OrderClaimSerializer(
        many=True, help_text="The points and gift cards (by their last four) on this order."
    )
    promo_code = serializers.CharField()
    note = serializers.CharField(help_text="The shopper's note from the cart.")
    shipping_method = serializers.CharField(source="shipping_method_code")
    shipping_address = OrderAddressSerializer(source="*")
    lines = OrderLineSerializer(many=True, source="lines.all")
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)

from decimal import Decimal

from rest_framework import serializers

from giftcards.services import MAX_AMOUNT

MONEY = {"max_digits": 12, "decimal_places": 2}


class GiftCardBalanceSerializer(serializers.Serializer):
    balance = serializers.DecimalField(
        **MONEY,
        source="available",
        help_text="What can still be spent: amounts held by open checkouts are not in it.",
    )
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class StaffGiftCardCreateInputSerializer(serializers.Serializer):
    balance = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"), max_value=MAX_AMOUNT)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StaffGiftCardIssuedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="card.pk")
    code = serializers.CharField(
        help_text="The whole code, grouped by four: shown here once and never again."
    )
    balance = serializers.DecimalField(**MONEY, source="card.balance")
    currency = serializers.CharField(source="card.currency")
    expires_at = serializers.DateTimeField(source="card.expires_at", allow_null=True)


class StaffGiftCardUpdateInputSerializer(serializers.Serializer):
    disabled = serializers.BooleanField()


class StaffGiftCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    last_four = serializers.CharField()
    balance = serializers.DecimalField(**MONEY)
    held = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
    disabled = serializers.BooleanField()

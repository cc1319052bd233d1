from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    """An error, as `application/problem+json`."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="Messages per input field."
    )
    available_stock = serializers.IntegerField(
        required=False, help_text="On a stock conflict: how many may still be bought."
    )


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class CappedLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    requested = serializers.IntegerField()
    kept = serializers.IntegerField()


class CartMergeReportSerializer(serializers.Serializer):
    """What a login's guest cart merge did (the cart app's MergeResult)."""

    joined = serializers.ListField(child=serializers.CharField())
    capped = CappedLineSerializer(many=True)
    dropped = serializers.ListField(child=serializers.CharField())
    saved_moved = serializers.IntegerField(help_text="Saved items that joined the user's.")
    wishlist_moved = serializers.IntegerField(help_text="Wishlist items that joined the user's.")
    message = serializers.CharField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)
    cart_merge = CartMergeReportSerializer(
        required=False,
        help_text="Present when an X-Cart-Token guest cart was merged into the user's cart.",
    )

from rest_framework import serializers

from loyalty.models import PointsEntry


class PointsEntrySerializer(serializers.ModelSerializer):
    points = serializers.IntegerField(read_only=True)
    order_number = serializers.CharField(source="order.number", default=None, read_only=True)

    class Meta:
        model = PointsEntry
        fields = ["points", "kind", "order_number", "created_at"]


class PointsSerializer(serializers.Serializer):
    balance = serializers.IntegerField(help_text="Points that can be spent now.")
    pending = serializers.IntegerField(help_text="Points earned but not usable yet.")
    entries = PointsEntrySerializer(many=True, help_text="The ledger, newest first.")

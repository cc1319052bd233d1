"""A shopper's loyalty points for API clients."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.api.serializers import PointsSerializer
from loyalty.selectors import points_summary
from shop.api.schema import problems


class PointsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_retrieve",
        tags=["loyalty"],
        responses={200: PointsSerializer, **problems(401)},
        description="The shopper's points to spend (points held by open checkouts are not in "
        "it), points pending (earned, usable LOYALTY_PENDING_DAYS after payment) and the "
        "ledger of every change, each with its order.",
    )
    def get(self, request):
        return Response(PointsSerializer(points_summary(user=request.user)).data)

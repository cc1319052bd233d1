"""Gift cards in the JSON API: a shopper's balance check, staff issuing and disabling."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from giftcards import selectors, services
from giftcards.api.serializers import (
    GiftCardBalanceSerializer,
    StaffGiftCardCreateInputSerializer,
    StaffGiftCardIssuedSerializer,
    StaffGiftCardSerializer,
    StaffGiftCardUpdateInputSerializer,
)
from shop.api.permissions import StaffModelPermissions
from shop.api.schema import IDEMPOTENCY_KEY, problems
from shop.api.throttles import GiftCardThrottle
from shop.api.views import ShopAPIView

GIFT_CARD_CODE = OpenApiParameter(
    "code",
    {"type": "string", "pattern": "^[A-Za-z0-9 -]{16,40}$"},
    OpenApiParameter.PATH,
    description="The card's code: 16 letters and digits, in any case, with or without spaces "
    "or dashes.",
)


class GiftCardBalanceView(APIView):
    throttle_classes = [GiftCardThrottle]

    @extend_schema(
        operation_id="gift_card_balance",
        tags=["gift cards"],
        parameters=[GIFT_CARD_CODE],
        responses={200: GiftCardBalanceSerializer, **problems(404, 429)},
        description="What a gift card can still spend. The code in any case, with or without "
        "spaces or dashes. Unknown, disabled and expired codes answer alike (404); limited "
        "per client address by RATE_LIMIT_GIFT_CARD (429).",
    )
    def get(self, request, code: str):
        card = selectors.gift_card_get(code=code)
        return Response(GiftCardBalanceSerializer(card).data)


class StaffGiftCardCreateView(ShopAPIView):
    permission_classes = [StaffModelPermissions]
    required_permissions = {"POST": ("giftcards.add_giftcard",)}

    @extend_schema(
        operation_id="admin_gift_cards_create",
        tags=["staff"],
        request=StaffGiftCardCreateInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: StaffGiftCardIssuedSerializer, **problems(400, 401, 403, 409, 422)},
        examples=[
            OpenApiExample(
                "A card for a customer",
                value={"balance": "50.00", "note": "Apology for order NW-ABCD-EFGH"},
                request_only=True,
            )
        ],
        description="Issue a gift card. The answer is the only one that shows its whole code.",
    )
    def post(self, request):
        data = StaffGiftCardCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        issued = services.gift_card_issue(
            balance=values["balance"],
            expires_at=values["expires_at"],
            note=values["note"],
            user=request.user,
        )
        return Response(StaffGiftCardIssuedSerializer(issued).data, status=status.HTTP_201_CREATED)


class StaffGiftCardView(APIView):
    permission_classes = [StaffModelPermissions]
    required_permissions = {"PATCH": ("giftcards.change_giftcard",)}

    @extend_schema(
        operation_id="admin_gift_cards_update",
        tags=["staff"],
        request=StaffGiftCardUpdateInputSerializer,
        responses={200: StaffGiftCardSerializer, **problems(400, 401, 403, 404)},
        description="Disable a gift card (it no longer pays; amounts already held stay) or "
        "enable it again.",
    )
    def patch(self, request, card_id: int):
        data = StaffGiftCardUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.gift_card_disable(
            card_id=card_id, disabled=data.validated_data["disabled"], user=request.user
        )
        return Response(StaffGiftCardSerializer(card).data)

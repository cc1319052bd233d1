"""Checkout and orders for API clients: the same services as the checkout page."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cart.api.owners import api_cart_owner
from checkout import services
from checkout.api.serializers import (
    CheckoutInputSerializer,
    CheckoutStartedSerializer,
    OrderSerializer,
    ShippingMethodSerializer,
)
from checkout.claims import ClaimsRequest
from checkout.fetch import shipping_methods
from checkout.selectors import order_list_for
from shop.api.pagination import PagePagination
from shop.api.schema import CART_TOKEN, IDEMPOTENCY_KEY, problems
from shop.api.throttles import CartWriteThrottle, CheckoutThrottle
from shop.api.views import ShopAPIView
from shop.links import base_url


class ShippingMethodsView(APIView):
    @extend_schema(
        operation_id="checkout_shipping_methods",
        tags=["checkout"],
        responses={200: ShippingMethodSerializer(many=True), **problems(401)},
    )
    def get(self, request):
        return Response(ShippingMethodSerializer(shipping_methods(), many=True).data)


class CheckoutView(ShopAPIView):
    throttle_classes = [CartWriteThrottle]

    def check_throttles(self, request):
        # Checkout starts have their own limit, and say so when they pass it.
        starts = CheckoutThrottle()
        if not starts.allow_request(request, self):
            raise Throttled(starts.wait(), detail=starts.refusal(starts.wait()))
        super().check_throttles(request)

    @extend_schema(
        operation_id="checkout_start",
        tags=["checkout"],
        request=CheckoutInputSerializer,
        parameters=[CART_TOKEN, IDEMPOTENCY_KEY],
        responses={
            201: CheckoutStartedSerializer,
            **problems(400, 401, 409, 422, 429, 503),
        },
        examples=[
            OpenApiExample(
                "Guest checkout",
                value={
                    "email": "ada@example.com",
                    "shipping_address": {
                        "name": "Ada Lovelace",
                        "line1": "12 St James's Square",
                        "city": "London",
                        "postal_code": "SW1Y 4JH",
                        "country": "GB",
                        "phone": "+44 20 7946 0000",
                    },
                    "shipping_method": "standard",
                    "promo_code": "WELCOME10",
                },
                request_only=True,
            )
        ],
        description="Validate the cart, create an order waiting for payment, hold its stock for "
        "RESERVATION_TTL_MINUTES (a guest's for GUEST_RESERVATION_TTL_MINUTES) and return where "
        "to pay. Starting again replaces the earlier pending order of the same cart. A guest "
        "(no account) may hold at most CHECKOUT_HOLD_MAX_UNITS units in CHECKOUT_MAX_OPEN open "
        "checkouts (409 `guest_hold_limit`, `guest_checkouts_limit`); starts are limited per "
        "client address by RATE_LIMIT_CHECKOUT (429). `redeem_points` lowers the total; "
        "`gift_cards` pay part of it (409 naming a card whose balance is no longer enough); "
        "when they pay it all the order is paid at once and `payment_url` is its confirmation "
        "page.",
    )
    def post(self, request):
        if settings.CHECKOUT_REQUIRES_LOGIN and not request.user.is_authenticated:
            raise NotAuthenticated("Log in to check out.")
        data = CheckoutInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        address = values["shipping_address"]
        started = services.checkout_start(
            owner=api_cart_owner(request),
            email=values["email"],
            address=services.ShippingAddress(**address),
            shipping_method_code=values["shipping_method"],
            promo_code=values["promo_code"],
            expected_total=values.get("expected_total"),
            base_url=base_url(request),
            source="api",
            claims=ClaimsRequest(
                gift_cards=tuple(values["gift_cards"]), redeem_points=values["redeem_points"]
            ),
        )
        return Response(CheckoutStartedSerializer(started).data, status=status.HTTP_201_CREATED)


class OrderListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return order_list_for(user=self.request.user).prefetch_related("lines")

    @extend_schema(
        operation_id="orders_list",
        tags=["orders"],
        responses={200: OrderSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrderDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    lookup_url_kwarg = "order_id"

    def get_queryset(self):
        return order_list_for(user=self.request.user).prefetch_related("lines")

    @extend_schema(
        operation_id="orders_retrieve",
        tags=["orders"],
        responses={200: OrderSerializer, **problems(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

"""Accounts for API clients: register, get a token (merging a guest cart), log out."""

from django.contrib.auth import authenticate, logout, user_logged_in
from drf_spectacular.utils import OpenApiExample, extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api.idempotency import IdempotentPostMixin
from shop.api.problems import InvalidCredentials
from shop.api.schema import CART_TOKEN, IDEMPOTENCY_KEY, problems
from shop.api.serializers import (
    RegisterInputSerializer,
    TokenInputSerializer,
    TokenSerializer,
    UserSerializer,
)
from shop.api.throttles import AuthThrottle
from shop.links import base_url
from shop.services import email_confirmation_request, user_create


class ShopAPIView(IdempotentPostMixin, APIView):
    """The base of the shop's API views: POSTs honour Idempotency-Key."""


class RegisterView(ShopAPIView):
    throttle_classes = [AuthThrottle]
    authentication_classes: list = []

    @extend_schema(
        operation_id="auth_register",
        tags=["auth"],
        request=RegisterInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: UserSerializer, **problems(400, 409, 422, 429)},
        examples=[
            OpenApiExample(
                "New shopper",
                value={"email": "ada@example.com", "password": "a-long-passphrase"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_create(
            email=data.validated_data["email"], password=data.validated_data["password"]
        )
        email_confirmation_request(user=user, base_url=base_url(request._request))
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(ShopAPIView):
    throttle_classes = [AuthThrottle]
    authentication_classes: list = []
    # Its answer is a credential: never kept for replay; each call issues its own token.
    idempotency_stores_answers = False

    @extend_schema(
        operation_id="auth_token",
        tags=["auth"],
        request=TokenInputSerializer,
        parameters=[CART_TOKEN, IDEMPOTENCY_KEY],
        responses={200: TokenSerializer, **problems(400, 409, 422, 429)},
        description="Exchange email and password for a token. With `X-Cart-Token`, that guest "
        "cart is merged into the user's cart exactly as at a browser login. A login is never "
        "replayed: an `Idempotency-Key` is checked but each call issues a token of its own, "
        "and no answer is stored.",
    )
    def post(self, request):
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise InvalidCredentials()
        token, key = AuthToken.objects.create(user=user)
        # As knox's own login view does: receivers run as at a browser login (the cart's merges
        # the X-Cart-Token cart, `api` telling it this is no browser) and may leave what they
        # did on the request.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user, api=True)
        body = {"token": key, "expiry": token.expiry}
        merge = getattr(request._request, "cart_merge", None)
        if merge is not None and merge.changed:
            body["cart_merge"] = merge
        return Response(TokenSerializer(body).data)


class LogoutView(ShopAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={204: None, **problems(400, 401, 409, 422)},
        description="Revoke the token this request was made with (or end the browser session).",
    )
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

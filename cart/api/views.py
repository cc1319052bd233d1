"""The cart for API clients: the same services as the HTML cart, as JSON."""

from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cart import services
from cart.api.owners import api_cart_owner, guest_cart_token
from cart.api.serializers import (
    CartLineAddInputSerializer,
    CartLinesInputSerializer,
    CartLineUpdateInputSerializer,
    CartMergeInputSerializer,
    CartReplaceInputSerializer,
    CartSerializer,
    CartSummarySerializer,
    CartUpdateInputSerializer,
    CartValidationSerializer,
    SharedCartAddSerializer,
    SharedCartLinkSerializer,
    SharedCartSerializer,
    WishlistItemInputSerializer,
    WishlistSerializer,
)
from cart.selectors import (
    CartOwner,
    CartSummary,
    cart_summary,
    wishlist_list,
    with_saved_items,
)
from shop.api.problems import PreconditionFailed
from shop.api.schema import CART_TOKEN, IDEMPOTENCY_KEY, IF_MATCH, problems
from shop.api.throttles import CartWriteThrottle
from shop.api.views import ShopAPIView
from shop.links import base_url

SOURCE = "api"
# The request headers that say whose cart an answer is.
CART_NAMED_BY = ("Authorization", "X-Cart-Token")
CART_EXAMPLE = OpenApiExample(
    "A guest cart with one line",
    value={
        "id": 42,
        "token": "q8Yk3n0cJxVt7d2WmT9p4Z1sLrB6aHfE5uGiKoQy0Nc",
        "items": [
            {
                "id": 7,
                "variant_id": 12,
                "product_id": 3,
                "sku": "KIT-01-DEFAULT",
                "product_name": "Aurora Espresso Machine",
                "variant_name": "Default",
                "product_slug": "aurora-espresso-machine",
                "image_url": "http://127.0.0.1:8000/media/products/aurora-espresso-machine.png",
                "quantity": 3,
                "unit_price": "499.99",
                "current_price": "499.99",
                "line_total": "1499.97",
                "available_stock": 27,
                "is_available": True,
                "properties": {},
            }
        ],
        "subtotal": "1499.97",
        "discount_total": "0.00",
        "estimated_tax": "150.00",
        "total": "1649.97",
        "total_items": 3,
        "currency": "USD",
        "updated_at": "2026-11-21T15:04:05Z",
        "version": 4,
        "note": "",
    },
    response_only=True,
)


def _items(serializer) -> list[tuple[int, int, dict]]:
    return [
        (item["variant_id"], item["quantity"], item["properties"])
        for item in serializer.validated_data["items"]
    ]


class CartAPIView(ShopAPIView):
    throttle_classes = [CartWriteThrottle]

    def dispatch(self, request, *args, **kwargs):
        """Every answer about a cart (errors and replays too) is the caller's alone: a shared
        cache must never hand one guest's cart and token to another."""
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, CART_NAMED_BY)
        return response

    def owner(self):
        return api_cart_owner(self.request)

    def expected_version(self) -> int | None:
        """The version named by If-Match (`"7"` or `W/"7"`), or None when there is none."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return None
        value = header.strip().removeprefix("W/").strip('"')
        if value.isascii() and value.isdigit() and len(value) <= 12:
            return int(value)
        raise PreconditionFailed()

    def respond_change(self, change, status_code: int = status.HTTP_200_OK) -> Response:
        if change.created_cart:
            services.cart_site_record(
                cart_id=change.summary.cart_id, site_url=base_url(self.request)
            )
        return self.respond(change.summary, status_code)

    def with_saved(self, summary: CartSummary) -> CartSummary:
        """The Cart's saved items: the user's, or those of the guest cart answered about."""
        user = self.request.user if self.request.user.is_authenticated else None
        return with_saved_items(summary, user=user)

    def respond(self, summary: CartSummary, status_code: int = status.HTTP_200_OK) -> Response:
        summary = self.with_saved(summary)
        response = Response(
            CartSerializer(summary, context={"request": self.request}).data, status=status_code
        )
        return self.with_cart_headers(response, summary)

    def with_cart_headers(self, response: Response, summary: CartSummary) -> Response:
        response["ETag"] = f'"{summary.version}"'
        if summary.token and not summary.is_owned_by_user:
            response["X-Cart-Token"] = summary.token
        return response


class CartView(CartAPIView):
    @extend_schema(
        operation_id="cart_retrieve",
        tags=["cart"],
        parameters=[CART_TOKEN],
        responses={200: CartSerializer, **problems(401)},
        examples=[CART_EXAMPLE],
        description="The caller's cart. With none yet, `id` and `token` are null and `items` "
        "empty; reading never creates a cart.",
    )
    def get(self, request):
        return self.respond(cart_summary(owner=self.owner()))

    @extend_schema(
        operation_id="cart_replace",
        tags=["cart"],
        request=CartReplaceInputSerializer,
        parameters=[CART_TOKEN, IF_MATCH],
        responses={200: CartSerializer, **problems(400, 401, 404, 409, 412, 429)},
        description="Replace every line, all or nothing. Items naming the same variant and "
        "properties sum; lines already in the cart with the same variant and properties keep "
        "the price they were added at.",
    )
    def put(self, request):
        data = CartReplaceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.cart_replace_lines(
            owner=self.owner(),
            items=_items(data),
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)

    @extend_schema(
        operation_id="cart_update",
        tags=["cart"],
        request=CartUpdateInputSerializer,
        parameters=[CART_TOKEN, IF_MATCH],
        responses={200: CartSerializer, **problems(400, 401, 412, 429)},
        examples=[
            OpenApiExample(
                "Leave a note", value={"note": "Please leave it by the door."}, request_only=True
            )
        ],
        description="Set the cart's note (at most 500 characters; it goes with the order). "
        "Like any change to the cart, it ends the cart's open checkout.",
    )
    def patch(self, request):
        data = CartUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.cart_note_set(
            owner=self.owner(),
            note=data.validated_data["note"],
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)

    @extend_schema(
        operation_id="cart_clear",
        tags=["cart"],
        parameters=[CART_TOKEN, IF_MATCH],
        responses={204: None, **problems(401, 412, 429)},
        description="Remove every line (the cart stays, empty).",
    )
    def delete(self, request):
        change = services.cart_clear(
            owner=self.owner(), source=SOURCE, expected_version=self.expected_version()
        )
        return self.with_cart_headers(Response(status=status.HTTP_204_NO_CONTENT), change.summary)


class CartItemsView(CartAPIView):
    @extend_schema(
        operation_id="cart_items_create",
        tags=["cart"],
        request=CartLineAddInputSerializer,
        parameters=[CART_TOKEN, IF_MATCH, IDEMPOTENCY_KEY],
        responses={201: CartSerializer, **problems(400, 401, 404, 409, 412, 422, 429)},
        examples=[
            OpenApiExample(
                "Add three", value={"variant_id": 12, "quantity": 3}, request_only=True
            ),
            OpenApiExample(
                "Add one, engraved",
                value={"variant_id": 12, "quantity": 1, "properties": {"engraving": "For Ada"}},
                request_only=True,
            ),
            CART_EXAMPLE,
        ],
        description="Add a variant; the same variant with the same properties again sums into "
        "its line, with other properties it makes another line. Stock and the line maximum "
        "count every line of the variant. A missing required property or a value too long "
        "is a 400 naming `properties.<key>`, and nothing is added. A guest without "
        "X-Cart-Token gets a new cart, whose token comes back in the body and the "
        "X-Cart-Token header.",
    )
    def post(self, request):
        data = CartLineAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.cart_add_line(
            owner=self.owner(),
            variant_id=data.validated_data["variant_id"],
            quantity=data.validated_data["quantity"],
            properties=data.validated_data["properties"],
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change, status.HTTP_201_CREATED)


class CartItemsBulkView(CartAPIView):
    @extend_schema(
        operation_id="cart_items_bulk_create",
        tags=["cart"],
        request=CartLinesInputSerializer,
        parameters=[CART_TOKEN, IF_MATCH, IDEMPOTENCY_KEY],
        responses={201: CartSerializer, **problems(400, 401, 404, 409, 412, 422, 429)},
        description="Add several variants at once, all or nothing.",
    )
    def post(self, request):
        data = CartLinesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.cart_add_lines(
            owner=self.owner(),
            items=_items(data),
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change, status.HTTP_201_CREATED)


class CartItemView(CartAPIView):
    @extend_schema(
        operation_id="cart_items_update",
        tags=["cart"],
        request=CartLineUpdateInputSerializer,
        parameters=[CART_TOKEN, IF_MATCH],
        responses={200: CartSerializer, **problems(400, 401, 404, 409, 412, 429)},
        description="Set a line's quantity; 0 removes it.",
    )
    def patch(self, request, line_id: int):
        data = CartLineUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.cart_set_line_quantity(
            owner=self.owner(),
            line_id=line_id,
            quantity=data.validated_data["quantity"],
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)

    @extend_schema(
        operation_id="cart_items_destroy",
        tags=["cart"],
        parameters=[CART_TOKEN, IF_MATCH],
        responses={200: CartSerializer, **problems(401, 404, 412, 429)},
    )
    def delete(self, request, line_id: int):
        change = services.cart_remove_line(
            owner=self.owner(),
            line_id=line_id,
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)


class CartMergeView(CartAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cart_merge",
        tags=["cart"],
        request=CartMergeInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: CartSerializer, **problems(400, 401, 404, 409, 422, 429)},
        description="Merge a guest cart into the user's: the same variant sums, capped by "
        "stock and the line maximum.",
    )
    def post(self, request):
        data = CartMergeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cart_merge(
            user=request.user,
            guest_token=data.validated_data["cart_token"],
            source=SOURCE,
            missing_ok=False,
        )
        return self.respond(cart_summary(owner=self.owner()))


class CartValidateView(CartAPIView):
    @extend_schema(
        operation_id="cart_validate",
        tags=["cart"],
        request=None,
        parameters=[CART_TOKEN, IDEMPOTENCY_KEY],
        responses={200: CartValidationSerializer, **problems(400, 401, 409, 422, 429)},
        description="Check every line against stock, the catalog and current prices. "
        "`price_changed` is reported but does not make the cart invalid.",
    )
    def post(self, request):
        summary = services.cart_validate(owner=self.owner(), source=SOURCE)
        return self.with_cart_headers(Response(CartValidationSerializer(summary).data), summary)


class CartSummaryView(CartAPIView):
    @extend_schema(
        operation_id="cart_summary",
        tags=["cart"],
        parameters=[CART_TOKEN],
        responses={200: CartSummarySerializer, **problems(401)},
    )
    def get(self, request):
        summary = cart_summary(owner=self.owner())
        return self.with_cart_headers(Response(CartSummarySerializer(summary).data), summary)


# --- Shared carts (issue 15, point 3) ----------------------------------------------------


class CartShareView(CartAPIView):
    @extend_schema(
        operation_id="cart_share",
        tags=["shared carts"],
        request=None,
        parameters=[CART_TOKEN, IDEMPOTENCY_KEY],
        responses={201: SharedCartLinkSerializer, **problems(400, 401, 409, 422, 429)},
        description="Share the cart as a link: a read-only snapshot of its lines (variant, "
        "quantity, properties), never the live cart, who shared it or the prices paid. It "
        "expires after SHARED_CART_TTL_DAYS; sharing the same, unchanged cart again gives the "
        "same link with its time renewed. An empty cart is a 409 (`cart_empty`).",
    )
    def post(self, request):
        link = services.cart_share(owner=self.owner(), source=SOURCE)
        return Response(
            SharedCartLinkSerializer(link, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


SHARED_CART_TOKEN = OpenApiParameter(
    "token",
    {"type": "string", "pattern": "^[A-Za-z0-9_-]{20,64}$"},
    OpenApiParameter.PATH,
    description="The shared cart's token, from `cart/share/` (the last part of its url).",
)


def _api_viewer(request) -> str | None:
    """Who opens a shared cart, to count each caller's opens once."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    token = guest_cart_token(request)
    return f"cart:{token}" if token else None


class SharedCartView(ShopAPIView):
    @extend_schema(
        operation_id="shared_carts_retrieve",
        tags=["shared carts"],
        parameters=[SHARED_CART_TOKEN],
        responses={200: SharedCartSerializer, **problems(401, 404)},
        description="A shared cart's lines at today's prices and stock. Unknown or expired: "
        "404 (`shared_cart_not_found`).",
    )
    def get(self, request, token: str):
        shared = services.shared_cart_open(
            token=token,
            user=request.user if request.user.is_authenticated else None,
            viewer=_api_viewer(request),
            source=SOURCE,
        )
        response = Response(SharedCartSerializer(shared, context={"request": request}).data)
        patch_cache_control(response, private=True, no_store=True)
        return response


class SharedCartAddView(CartAPIView):
    @extend_schema(
        operation_id="shared_carts_add",
        tags=["shared carts"],
        request=None,
        parameters=[SHARED_CART_TOKEN, CART_TOKEN, IF_MATCH, IDEMPOTENCY_KEY],
        responses={
            200: SharedCartAddSerializer,
            **problems(400, 401, 404, 409, 412, 422, 429),
        },
        description="Add every line of the shared cart to the caller's cart in one go. Unlike "
        "`cart/items` it caps rather than refuses: each line is capped by stock and the line "
        "maximum (counting what the cart holds), and a line no longer sold, whose properties "
        "no longer fit, or for which the cart has no room is left out. The Cart comes back "
        "with `shared_cart_add` saying what was capped or left out. A guest without "
        "X-Cart-Token gets a new cart when something is added.",
    )
    def post(self, request, token: str):
        result = services.shared_cart_add_to_cart(
            token=token,
            owner=self.owner(),
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        if result.created_cart:
            services.cart_site_record(
                cart_id=result.summary.cart_id, site_url=base_url(self.request)
            )
        body = SharedCartAddSerializer(
            self.with_saved(result.summary), context={"request": request, "result": result}
        ).data
        return self.with_cart_headers(Response(body), result.summary)


# --- Saved for later and the wishlist (issue 15, points 1, 2) ------------------------------

SAVED_ITEM_ID = OpenApiParameter(
    "saved_id", int, OpenApiParameter.PATH, description="A saved item's id (`saved_items[].id`)."
)


class CartItemSaveView(CartAPIView):
    @extend_schema(
        operation_id="cart_items_save",
        tags=["cart"],
        request=None,
        parameters=[CART_TOKEN, IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: CartSerializer, **problems(400, 401, 404, 409, 412, 422, 429)},
        description="Move a line out of the cart into `saved_items`, with its quantity and "
        "properties (saving the same variant and properties again sums). Saved items are "
        "never in the totals and never reserved. At most CART_MAX_LINES saved items: past "
        "that a 409 (`saved_items_full`).",
    )
    def post(self, request, line_id: int):
        change = services.cart_line_save(
            owner=self.owner(),
            line_id=line_id,
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)


class SavedItemMoveView(CartAPIView):
    @extend_schema(
        operation_id="cart_saved_move",
        tags=["cart"],
        request=None,
        parameters=[SAVED_ITEM_ID, CART_TOKEN, IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: CartSerializer, **problems(400, 401, 404, 409, 412, 422, 429)},
        description="Move a saved item back into the cart: an add of its quantity and "
        "properties, checked like `cart/items` (stock and a variant no longer sold: 409; the "
        "line maximum: 400). A refusal changes nothing and the item stays saved.",
    )
    def post(self, request, saved_id: int):
        change = services.saved_item_move_to_cart(
            owner=self.owner(),
            saved_id=saved_id,
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)


class SavedItemView(CartAPIView):
    @extend_schema(
        operation_id="cart_saved_destroy",
        tags=["cart"],
        parameters=[SAVED_ITEM_ID, CART_TOKEN, IF_MATCH],
        responses={200: CartSerializer, **problems(401, 404, 412, 429)},
        description="Delete a saved item.",
    )
    def delete(self, request, saved_id: int):
        change = services.saved_item_remove(
            owner=self.owner(),
            saved_id=saved_id,
            source=SOURCE,
            expected_version=self.expected_version(),
        )
        return self.respond_change(change)


class WishlistAPIView(CartAPIView):
    def respond_wishlist(
        self, owner: CartOwner, status_code: int = status.HTTP_200_OK
    ) -> Response:
        """The owner's wishlist; a guest's with the cart token that names it."""
        items = wishlist_list(owner=owner)
        token = owner.token if owner.user is None and items else None
        body = {"items": items, "count": len(items), "token": token}
        response = Response(
            WishlistSerializer(body, context={"request": self.request}).data, status=status_code
        )
        if token:
            response["X-Cart-Token"] = token
        return response


class WishlistView(WishlistAPIView):
    @extend_schema(
        operation_id="wishlist_retrieve",
        tags=["wishlist"],
        parameters=[CART_TOKEN],
        responses={200: WishlistSerializer, **problems(401)},
        description="The caller's wishlist, newest first, each variant at today's price and "
        "stock (`is_available` false once sold out or no longer sold). A guest's is named by "
        "X-Cart-Token; reading never creates anything.",
    )
    def get(self, request):
        return self.respond_wishlist(self.owner())


class WishlistItemsView(WishlistAPIView):
    @extend_schema(
        operation_id="wishlist_items_create",
        tags=["wishlist"],
        request=WishlistItemInputSerializer,
        parameters=[CART_TOKEN, IDEMPOTENCY_KEY],
        responses={
            201: WishlistSerializer,
            200: WishlistSerializer,
            **problems(400, 401, 404, 409, 422, 429),
        },
        description="Put a variant on the wishlist: 201, or 200 when it was already on it (no "
        "duplicate). At most 200 items: past that a 409 (`wishlist_full`). A guest without "
        "X-Cart-Token gets a new cart token (body and X-Cart-Token header) that names the "
        "wishlist from then on; a guest's wishlist goes when that cart expires, a user's "
        "never does.",
    )
    def post(self, request):
        data = WishlistItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.wishlist_add(
            owner=self.owner(), variant_id=data.validated_data["variant_id"], source=SOURCE
        )
        if change.created_cart:
            services.cart_site_record(cart_id=change.cart_id, site_url=base_url(request))
        owner = self.owner() if request.user.is_authenticated else CartOwner(token=change.token)
        return self.respond_wishlist(
            owner, status.HTTP_201_CREATED if change.created else status.HTTP_200_OK
        )


class WishlistItemView(WishlistAPIView):
    @extend_schema(
        operation_id="wishlist_items_destroy",
        tags=["wishlist"],
        parameters=[
            OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="`items[].id`."),
            CART_TOKEN,
        ],
        responses={204: None, **problems(401, 404, 429)},
        description="Take an item off the wishlist.",
    )
    def delete(self, request, item_id: int):
        services.wishlist_remove(owner=self.owner(), item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

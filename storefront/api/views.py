"""The catalog for API clients (with stock), and the staff endpoints outside systems sync
products, prices and stock with."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.models import Product
from inventory.selectors import product_get_with_stock, product_list_with_stock
from shop.api.pagination import PagePagination
from shop.api.permissions import StaffModelPermissions
from shop.api.schema import IDEMPOTENCY_KEY, problems
from shop.api.views import ShopAPIView
from storefront import services as storefront_services
from storefront.api.serializers import (
    CategorySerializer,
    ProductDetailSerializer,
    ProductListSerializer,
    StaffProductCreateInputSerializer,
    StaffProductSerializer,
    StaffProductUpdateInputSerializer,
    StaffVariantSerializer,
    StaffVariantUpdateInputSerializer,
)


class CategoryListView(APIView):
    @extend_schema(
        operation_id="categories_list",
        tags=["catalog"],
        responses={200: CategorySerializer(many=True), **problems(401)},
    )
    def get(self, request):
        return Response(CategorySerializer(selectors.category_list(), many=True).data)


class ProductListView(generics.ListAPIView):
    serializer_class = ProductListSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return product_list_with_stock(
            query=self.request.query_params.get("search", "")[:200],
            category_slug=self.request.query_params.get("category", "")[:120],
            sort=self.request.query_params.get("sort", "")[:20],
        )

    @extend_schema(
        operation_id="products_list",
        tags=["catalog"],
        parameters=[
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description="Words in the name, description, category or variants, or an "
                "exact SKU; on PostgreSQL ranked by relevance and forgiving typos in names.",
            ),
            OpenApiParameter("category", OpenApiTypes.STR, description="A category slug."),
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=[choice.value for choice in selectors.ProductSort],
                description="The order: `relevance` (the default with `search`), `featured` "
                "(the default without), `price-asc`, `price-desc` (by the lowest price) or "
                "`newest`. Any other value gives the default.",
            ),
        ],
        responses={200: ProductListSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProductDetailView(APIView):
    @extend_schema(
        operation_id="products_retrieve",
        tags=["catalog"],
        parameters=[
            OpenApiParameter(
                "slug", {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}, OpenApiParameter.PATH
            )
        ],
        responses={200: ProductDetailSerializer, **problems(401, 404)},
    )
    def get(self, request, slug: str):
        try:
            product = product_get_with_stock(slug=slug)
        except Product.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ProductDetailSerializer(product, context={"request": request}).data)


def _line_field_specs(fields: list[dict]) -> list[services.LineFieldSpec]:
    return [services.LineFieldSpec(**field) for field in fields]


def _staff_product(product_id: int):
    return StaffProductSerializer(selectors.product_for_staff(product_id=product_id)).data


class StaffProductCreateView(ShopAPIView):
    permission_classes = [StaffModelPermissions]
    required_permissions = {"POST": ("catalog.add_product",)}

    @extend_schema(
        operation_id="admin_products_create",
        tags=["staff"],
        request=StaffProductCreateInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: StaffProductSerializer, **problems(400, 401, 403, 409, 422)},
        examples=[
            OpenApiExample(
                "With variants",
                value={
                    "name": "Linen Apron",
                    "status": "active",
                    "category": "kitchen",
                    "variants": [
                        {"name": "Natural", "sku": "APR-NAT", "price": "34.00", "stock": 20},
                        {"name": "Charcoal", "sku": "APR-CHA", "price": "34.00", "stock": 12},
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "With an engraving",
                value={
                    "name": "Pocket Knife",
                    "sku": "KNF-1",
                    "price": "45.00",
                    "stock": 30,
                    "line_fields": [
                        {
                            "key": "engraving",
                            "label": "Engraving",
                            "kind": "text",
                            "required": False,
                            "max_length": 20,
                        },
                        {
                            "key": "gift_wrap",
                            "label": "Gift wrap",
                            "kind": "choice",
                            "choices": ["Kraft paper", "Linen cloth"],
                        },
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "One default variant",
                value={
                    "name": "Tea Tin",
                    "sku": "TIN-1",
                    "price": "12.00",
                    "stock": 40,
                    "status": "active",
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        data = StaffProductCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        product = services.product_create(
            name=values["name"],
            status=values["status"],
            category=values.get("category"),
            description=values.get("description", ""),
            variants=[
                services.VariantSpec(
                    name=v.get("name", "Default"),
                    sku=v["sku"],
                    price=v["price"],
                    stock=v["stock"],
                    status=v.get("status", "active"),
                    compare_at_price=v.get("compare_at_price"),
                    option_values=v.get("option_values", {}),
                )
                for v in values["variants"]
            ],
            line_fields=_line_field_specs(values.get("line_fields", [])),
        )
        return Response(_staff_product(product.pk), status=status.HTTP_201_CREATED)


class StaffProductView(APIView):
    permission_classes = [StaffModelPermissions]
    required_permissions = {
        "PATCH": ("catalog.change_product",),
        "DELETE": ("catalog.delete_product",),  # retiring is the API's delete
    }

    @extend_schema(
        operation_id="admin_products_update",
        tags=["staff"],
        request=StaffProductUpdateInputSerializer,
        responses={200: StaffProductSerializer, **problems(400, 401, 403, 404)},
    )
    def patch(self, request, product_id: int):
        data = StaffProductUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "line_fields" in values:
            values["line_fields"] = _line_field_specs(values["line_fields"])
        services.product_update(product_id=product_id, **values)
        return Response(_staff_product(product_id))

    @extend_schema(
        operation_id="admin_products_retire",
        tags=["staff"],
        responses={204: None, **problems(401, 403, 404)},
        description="Retire the product (archived, never deleted: carts and orders keep "
        "referring to it). Retiring again answers 204 too.",
    )
    def delete(self, request, product_id: int):
        services.product_retire(product_id=product_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffVariantView(APIView):
    permission_classes = [StaffModelPermissions]
    required_permissions = {"PATCH": ("catalog.change_variant",)}

    @extend_schema(
        operation_id="admin_variants_update",
        tags=["staff"],
        request=StaffVariantUpdateInputSerializer,
        responses={200: StaffVariantSerializer, **problems(400, 401, 403, 404)},
        description="Sync stock on hand, price or status from an outside system.",
    )
    def patch(self, request, variant_id: int):
        data = StaffVariantUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        variant = storefront_services.staff_variant_update(
            variant_id=variant_id, **data.validated_data
        )
        return Response(StaffVariantSerializer(variant).data)

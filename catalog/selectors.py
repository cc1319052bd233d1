"""Reads of the catalog as shoppers see it."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Now
from django.utils.translation import gettext as _

from catalog.availability import StockStatus, stock_status
from catalog.models import Category, Product, ProductImage, Variant
from checkout.models import StockReservation

CATEGORY_NAV_CACHE_KEY = "catalog:category-nav:v1"


def available_stock_expression(variant_path: str = "", *, cart_ref: str = "") -> Combinable:
    """Return what may still be sold of a variant: stock on hand minus active reservations.

    `variant_path` is the lookup from the queried model to the variant ("variant__" from a
    cart line), so every query that needs availability computes it the same way. A
    reservation stops counting the moment it expires, before any job has tidied it up.
    With `cart_ref` (the queried model's cart id field), the reservations of that cart's own
    checkouts do not count: a shopper's open checkout never puts their own cart out of stock.
    """
    reservations = StockReservation.objects.filter(
        variant_id=OuterRef(f"{variant_path}pk"),
        status=StockReservation.Status.ACTIVE,
        expires_at__gt=Now(),
    )
    if cart_ref:
        reservations = reservations.exclude(order__cart_id=OuterRef(cart_ref))
    reserved = (
        reservations.order_by()
        .values("variant_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return F(f"{variant_path}stock_on_hand") - Coalesce(Subquery(reserved), 0)


def variant_queryset_with_availability(
    queryset: QuerySet[Variant] | None = None,
) -> QuerySet[Variant]:
    """Annotate `available_stock`: what may still be put in a cart."""
    queryset = Variant.objects.all() if queryset is None else queryset
    return queryset.annotate(available_stock=available_stock_expression())


def first_image_expression(product_id_ref: str = "pk") -> Subquery:
    """Return the file name of a product's first image, for one-query listings."""
    return Subquery(
        ProductImage.objects.filter(product_id=OuterRef(product_id_ref))
        .order_by("position", "id")
        .values("image")[:1]
    )


def _active_variants() -> QuerySet[Variant]:
    return Variant.objects.filter(status=Variant.Status.ACTIVE)


def product_queryset_for_shoppers() -> QuerySet[Product]:
    """Products a shopper may see: active, with at least one active variant."""
    return Product.objects.filter(
        Exists(_active_variants().filter(product=OuterRef("pk"))),
        status=Product.Status.ACTIVE,
    )


def category_list() -> list[Category]:
    """List the categories that have something to show, cached for the header."""
    categories = cache.get(CATEGORY_NAV_CACHE_KEY)
    if categories is None:
        categories = list(
            Category.objects.filter(
                Exists(product_queryset_for_shoppers().filter(category=OuterRef("pk")))
            )
        )
        cache.set(CATEGORY_NAV_CACHE_KEY, categories, timeout=300)
    return categories


def category_nav_invalidate() -> None:
    """Forget the cached header categories after staff change the catalog."""
    cache.delete(CATEGORY_NAV_CACHE_KEY)


def product_list(*, query: str = "", category_slug: str = "") -> QuerySet[Product]:
    """List shopper-visible products, searched and filtered, with price range and first image."""
    active = Q(variants__status=Variant.Status.ACTIVE)
    products = (
        product_queryset_for_shoppers()
        .select_related("category")
        .annotate(
            min_price=Min("variants__price", filter=active),
            max_price=Max("variants__price", filter=active),
            in_stock=Exists(
                variant_queryset_with_availability(_active_variants()).filter(
                    product=OuterRef("pk"), available_stock__gt=0
                )
            ),
        )
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .order_by("name", "id")
    )
    query = query.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    category_slug = category_slug.replace("\x00", "")
    if query:
        products = products.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(category__name__icontains=query)
            | Exists(
                _active_variants().filter(
                    Q(sku__iexact=query) | Q(name__icontains=query), product=OuterRef("pk")
                )
            )
        )
    if category_slug:
        products = products.filter(category__slug=category_slug)
    return products


def product_get(*, slug: str) -> Product:
    """Return a shopper-visible product with its active variants and images.

    Raises Product.DoesNotExist for unknown, draft and archived products.
    """
    variants = variant_queryset_with_availability(_active_variants().order_by("position", "id"))
    return (
        product_queryset_for_shoppers()
        .select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=variants, to_attr="active_variants"),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        )
        .get(slug=slug)
    )


def featured_products(*, limit: int = 8) -> list[Product]:
    """Return the newest shopper-visible products for the home page."""
    return list(product_list().order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class VariantChoice:
    variant: Variant
    available: int
    status: StockStatus

    @property
    def label(self) -> str:
        return self.variant.name


def product_variant_choices(*, product: Product) -> list[VariantChoice]:
    """List what the variant picker offers for a product loaded by `product_get`."""
    return [
        VariantChoice(
            variant=variant,
            available=variant.available_stock,
            status=stock_status(variant=variant, available=variant.available_stock),
        )
        for variant in product.active_variants
    ]


def _option_name(option_values: Iterable[dict]) -> str:
    keys: list[str] = []
    for options in option_values:
        for key in options or {}:
            if str(key) not in keys:
                keys.append(str(key))
    return _(" and ").join(keys) if keys else _("option")


def product_option_name(*, product: Product) -> str:
    """Name what tells the variants apart ("size", "size and colour"), for picker prompts."""
    return _option_name(variant.option_values for variant in product.active_variants)


def product_option_name_by_id(product_id: int) -> str:
    """Name what tells a product's variants apart, looked up by product id."""
    return _option_name(
        _active_variants().filter(product_id=product_id).values_list("option_values", flat=True)
    )


def product_for_staff(*, product_id: int) -> Product:
    """A product with all its variants, whatever their status, for staff tools."""
    return (
        Product.objects.select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.order_by("position", "id"))
        )
        .get(pk=product_id)
    )

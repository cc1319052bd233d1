"""Reads of stock: what may still be sold of a variant, and the catalog as shoppers see it
with that availability.

Available means stock on hand minus active reservations; a reservation stops counting the
moment it expires, before any job has tidied it up.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Now

from catalog import selectors as catalog_selectors
from catalog.models import Product, Variant
from inventory.availability import StockStatus, stock_status
from inventory.models import StockReservation


def available_stock_expression(variant_path: str = "", *, cart_ref: str = "") -> Combinable:
    """Return what may still be sold of a variant: stock on hand minus active reservations.

    `variant_path` is the lookup from the queried model to the variant ("variant__" from a
    cart line), so every query that needs availability computes it the same way. With
    `cart_ref` (the queried model's cart id field), the holds of that cart's own checkouts do
    not count: a shopper's open checkout never puts their own cart out of stock.
    """
    reservations = StockReservation.objects.filter(
        variant_id=OuterRef(f"{variant_path}pk"),
        status=StockReservation.Status.ACTIVE,
        expires_at__gt=Now(),
    )
    if cart_ref:
        reservations = reservations.exclude(cart_id=OuterRef(cart_ref))
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


def available_by_variant(variant_ids: list[int]) -> dict[int, int]:
    """What is left of each variant, by id (all holds count)."""
    rows = variant_queryset_with_availability().filter(pk__in=variant_ids)
    return {variant.pk: variant.available_stock for variant in rows}


def units_held(*, order_ids: list[int]) -> int:
    """How many units the orders' holds still in force keep from everyone else."""
    if not order_ids:
        return 0
    return StockReservation.objects.filter(
        order_id__in=order_ids, status=StockReservation.Status.ACTIVE, expires_at__gt=Now()
    ).aggregate(total=Coalesce(Sum("quantity"), 0))["total"]


def _with_in_stock(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.annotate(
        in_stock=Exists(
            variant_queryset_with_availability(catalog_selectors.active_variants()).filter(
                product=OuterRef("pk"), available_stock__gt=0
            )
        )
    )


def product_list_with_stock(
    *, query: str = "", category_slug: str = "", sort: str = ""
) -> QuerySet[Product]:
    """The shoppers' product listing (catalog's), each product with `in_stock`."""
    return _with_in_stock(
        catalog_selectors.product_list(query=query, category_slug=category_slug, sort=sort)
    )


def featured_products_with_stock(*, limit: int = 8, per_category: int = 2) -> list[Product]:
    """The newest shopper-visible products across the categories (at most `per_category`
    from each), each with `in_stock`."""
    ids = catalog_selectors.product_newest_ids(limit=limit, per_category=per_category)
    products = {product.pk: product for product in product_list_with_stock().filter(pk__in=ids)}
    return [products[pk] for pk in ids if pk in products]


def product_get_with_stock(*, slug: str) -> Product:
    """A shopper-visible product whose `active_variants` carry `available_stock`.

    Raises Product.DoesNotExist for unknown, draft and archived products.
    """
    variants = variant_queryset_with_availability(
        catalog_selectors.active_variants().order_by("position", "id")
    )
    return catalog_selectors.product_get(slug=slug, variants=variants)


@dataclass(frozen=True)
class VariantChoice:
    variant: Variant
    available: int
    status: StockStatus

    @property
    def label(self) -> str:
        return self.variant.name


def product_variant_choices(*, product: Product) -> list[VariantChoice]:
    """List what the variant picker offers for a product loaded by `product_get_with_stock`."""
    return [
        VariantChoice(
            variant=variant,
            available=variant.available_stock,
            status=stock_status(variant=variant, available=variant.available_stock),
        )
        for variant in product.active_variants
    ]


def reservations_for_order(*, order_id: int) -> QuerySet[StockReservation]:
    """An order's stock holds, whatever became of them, for staff screens."""
    return StockReservation.objects.filter(order_id=order_id).select_related("variant__product")

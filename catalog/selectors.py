"""Reads of the catalog as shoppers see it."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from catalog.models import Category, Product, ProductImage, ProductLineField, Variant

CATEGORY_NAV_CACHE_KEY = "catalog:category-nav:v1"


def first_image_expression(product_id_ref: str = "pk") -> Subquery:
    """Return the file name of a product's first image, for one-query listings."""
    return Subquery(
        ProductImage.objects.filter(product_id=OuterRef(product_id_ref))
        .order_by("position", "id")
        .values("image")[:1]
    )


def has_line_fields_expression(product_id_ref: str = "product_id") -> Exists:
    """Answer, inside a query, whether a product has line fields (so the fields themselves
    need loading only for the products that do)."""
    return Exists(ProductLineField.objects.filter(product_id=OuterRef(product_id_ref)))


def line_fields_by_product(product_ids: Iterable[int]) -> dict[int, list[ProductLineField]]:
    """The line fields of each product, in their order: one query for them all."""
    wanted = set(product_ids)
    fields: dict[int, list[ProductLineField]] = {product_id: [] for product_id in wanted}
    if wanted:
        for field in ProductLineField.objects.filter(product_id__in=wanted):
            fields[field.product_id].append(field)
    return fields


def is_sellable(variant: Variant) -> bool:
    """Answer whether the variant is on sale at all: it and its product are active."""
    return (
        variant.status == Variant.Status.ACTIVE and variant.product.status == Product.Status.ACTIVE
    )


def active_variants() -> QuerySet[Variant]:
    """Variants on sale (their product may not be)."""
    return Variant.objects.filter(status=Variant.Status.ACTIVE)


def product_queryset_for_shoppers() -> QuerySet[Product]:
    """Products a shopper may see: active, with at least one active variant."""
    return Product.objects.filter(
        Exists(active_variants().filter(product=OuterRef("pk"))),
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
                active_variants().filter(
                    Q(sku__iexact=query) | Q(name__icontains=query), product=OuterRef("pk")
                )
            )
        )
    if category_slug:
        products = products.filter(category__slug=category_slug)
    return products


def product_get(*, slug: str, variants: QuerySet[Variant] | None = None) -> Product:
    """Return a shopper-visible product with its active variants (as `active_variants`, from
    `variants` when given, e.g. with availability) and images.

    Raises Product.DoesNotExist for unknown, draft and archived products.
    """
    if variants is None:
        variants = active_variants().order_by("position", "id")
    return (
        product_queryset_for_shoppers()
        .select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=variants, to_attr="active_variants"),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
            "line_fields",
        )
        .get(slug=slug)
    )


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
        active_variants().filter(product_id=product_id).values_list("option_values", flat=True)
    )


def product_for_staff(*, product_id: int) -> Product:
    """A product with all its variants, whatever their status, for staff tools."""
    return (
        Product.objects.select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.order_by("position", "id")),
            "line_fields",
        )
        .get(pk=product_id)
    )

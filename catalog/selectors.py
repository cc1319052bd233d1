"""Reads of the catalog as shoppers see it."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import models
from django.db.models import (
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Category, OptionName, Product, ProductImage, ProductLineField, Variant
from catalog.search import products_matching

# v2: categories carry their translated names (cached rows from before lack them).
CATEGORY_NAV_CACHE_KEY = "catalog:category-nav:v2"


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


def category_get(*, slug: str) -> Category:
    """Return the category with this slug, from the cached list when it has products.

    Raises Category.DoesNotExist for an unknown slug.
    """
    slug = slug.replace("\x00", "")
    for category in category_list():
        if category.slug == slug:
            return category
    return Category.objects.get(slug=slug)


def category_nav_invalidate() -> None:
    """Forget the cached header categories after staff change the catalog."""
    cache.delete(CATEGORY_NAV_CACHE_KEY)


class ProductSort(models.TextChoices):
    """How shoppers may order the product list (the `?sort=` values)."""

    RELEVANCE = "relevance", gettext_lazy("Relevance")
    FEATURED = "featured", gettext_lazy("Featured")
    PRICE_ASC = "price-asc", gettext_lazy("Price: low to high")
    PRICE_DESC = "price-desc", gettext_lazy("Price: high to low")
    NEWEST = "newest", gettext_lazy("Newest")


_ORDERINGS = {
    ProductSort.RELEVANCE: (F("relevance").desc(), "name", "id"),
    ProductSort.FEATURED: ("position", "name", "id"),
    # By the price a card shows first: its lowest ("From $10.00").
    ProductSort.PRICE_ASC: ("min_price", "name", "id"),
    ProductSort.PRICE_DESC: (F("min_price").desc(), "name", "id"),
    ProductSort.NEWEST: ("-created_at", "-id"),
}


def product_sort_choices(*, query: str = "") -> list[ProductSort]:
    """The orders a list can be sorted in: relevance only for a search."""
    return [sort for sort in ProductSort if query.strip() or sort != ProductSort.RELEVANCE]


def product_sort_resolve(*, sort: str = "", query: str = "") -> ProductSort:
    """Return the order to use: the one asked for when it applies, else relevance for a
    search and featured otherwise."""
    choices = product_sort_choices(query=query)
    if sort in choices:
        return ProductSort(sort)
    return choices[0]


def product_list(*, query: str = "", category_slug: str = "", sort: str = "") -> QuerySet[Product]:
    """List shopper-visible products, searched (`catalog.search`), filtered and sorted
    (relevance first for a search), with price range, the cheapest sale (`sale_price`, `sale_compare_at_price`; None when nothing is discounted)
    and first image."""
    active = Q(variants__status=Variant.Status.ACTIVE)
    sales = (
        active_variants()
        .filter(product=OuterRef("pk"), compare_at_price__gt=F("price"))
        .order_by("price", "-compare_at_price")
    )
    products = (
        product_queryset_for_shoppers()
        .select_related("category")
        .annotate(
            min_price=Min("variants__price", filter=active),
            max_price=Max("variants__price", filter=active),
            sale_price=Subquery(sales.values("price")[:1]),
            sale_compare_at_price=Subquery(sales.values("compare_at_price")[:1]),
            # The variant a card's heart puts on the wishlist: the first on sale.
            card_variant_id=Subquery(
                active_variants()
                .filter(product=OuterRef("pk"))
                .order_by("position", "id")
                .values("pk")[:1]
            ),
        )
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        )
    )
    query = query.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    category_slug = category_slug.replace("\x00", "")
    if query:
        products = products_matching(products, query)
    if category_slug:
        products = products.filter(category__slug=category_slug)
    return products.order_by(*_ORDERINGS[product_sort_resolve(sort=sort, query=query)])


def product_newest_ids(*, limit: int, per_category: int) -> list[int]:
    """Ids of the newest shopper-visible products, at most `per_category` from each category:
    the newest of every category first, then the second newest, and so on."""
    newest_first = [F("created_at").desc(), F("id").desc()]
    return list(
        product_queryset_for_shoppers()
        .annotate(
            newness=Window(RowNumber(), partition_by=[F("category_id")], order_by=newest_first)
        )
        .filter(newness__lte=per_category)
        .order_by("newness", *newest_first)
        .values_list("pk", flat=True)[:limit]
    )


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
    if not keys:
        return _("option")
    names = {
        option.key: option.display_name
        for option in OptionName.objects.filter(key__in={key.strip().lower() for key in keys})
    }
    return _(" and ").join(names.get(key.strip().lower(), key) for key in keys)


def product_option_name(*, product: Product) -> str:
    """Name what tells the variants apart ("size", "size and colour"), for picker prompts,
    in the active language (`OptionName`)."""
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

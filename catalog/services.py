"""Writes to the catalog: what staff and outside systems use to sync products and prices.

Stock on hand is set through inventory/services.py, under inventory's variant row lock."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog.exceptions import (
    CategoryNotFoundError,
    DuplicateVariantNameError,
    LineFieldInvalidError,
    ProductNeedsVariantError,
    ProductNotFoundError,
    SkuTakenError,
    VariantNotFoundError,
)
from catalog.models import Category, Product, ProductLineField, Variant, variant_slug
from catalog.properties import LINE_FIELDS_PER_PRODUCT, line_field_problem
from catalog.search import full_text_search_available, product_search_vector

MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class LineFieldSpec:
    key: str
    label: str
    kind: str = ProductLineField.Kind.TEXT
    required: bool = False
    max_length: int = 100
    choices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VariantSpec:
    name: str
    sku: str
    price: Decimal
    stock: int
    status: str = Variant.Status.ACTIVE
    compare_at_price: Decimal | None = None
    option_values: dict = field(default_factory=dict)


def _category(ref: str | int | None) -> Category | None:
    if ref in (None, ""):
        return None
    lookup = {"pk": ref} if isinstance(ref, int) else {"slug": str(ref)}
    if isinstance(ref, int) and not 0 < ref <= MAX_ID:
        raise CategoryNotFoundError()
    try:
        return Category.objects.get(**lookup)
    except Category.DoesNotExist as exc:
        raise CategoryNotFoundError() from exc


def _unique_product_slug(name: str) -> str:
    base = slugify(name)[:200] or "product"
    slug, n = base, 1
    while Product.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_skus_free(skus: list[str], exclude_pk: int | None = None) -> None:
    taken = Variant.objects.filter(sku__in=skus)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if first := taken.values_list("sku", flat=True).first():
        raise SkuTakenError(first)


@transaction.atomic
def product_create(
    *,
    name: str,
    status: str = Product.Status.ACTIVE,
    category: str | int | None = None,
    description: str = "",
    variants: list[VariantSpec],
    line_fields: list[LineFieldSpec] | None = None,
) -> Product:
    """Create a product with its variants and line fields. Raises ProductNeedsVariantError,
    SkuTakenError, DuplicateVariantNameError, CategoryNotFoundError, LineFieldInvalidError."""
    if not variants:
        raise ProductNeedsVariantError()
    _check_line_fields(line_fields or [])
    skus = [spec.sku for spec in variants]
    if len(set(skus)) != len(skus):
        raise SkuTakenError(next(s for s in skus if skus.count(s) > 1))
    if len({variant_slug(spec.name) for spec in variants}) != len(variants):
        raise DuplicateVariantNameError()
    _check_skus_free(skus)
    product = Product.objects.create(
        name=name,
        slug=_unique_product_slug(name),
        status=status,
        category=_category(category),
        description=description,
    )
    try:
        with transaction.atomic():
            for position, spec in enumerate(variants):
                Variant.objects.create(
                    product=product,
                    name=spec.name,
                    sku=spec.sku,
                    price=spec.price,
                    compare_at_price=spec.compare_at_price,
                    stock_on_hand=spec.stock,
                    status=spec.status,
                    option_values=spec.option_values,
                    position=position,
                )
    except IntegrityError as exc:  # a concurrent create took a SKU first
        raise SkuTakenError(skus[0]) from exc
    _create_line_fields(product, line_fields or [])
    return product


def _check_line_fields(specs: list[LineFieldSpec]) -> None:
    if len(specs) > LINE_FIELDS_PER_PRODUCT:
        raise LineFieldInvalidError(
            _("A product can have at most %(max)d line fields.") % {"max": LINE_FIELDS_PER_PRODUCT}
        )
    keys = [spec.key for spec in specs]
    if len(set(keys)) != len(keys):
        raise LineFieldInvalidError(_("Each line field of a product needs a different key."))
    for spec in specs:
        problem = line_field_problem(kind=spec.kind, choices=spec.choices)
        if problem:
            raise LineFieldInvalidError(f"{spec.key}: {problem}")


def _create_line_fields(product: Product, specs: list[LineFieldSpec]) -> None:
    ProductLineField.objects.bulk_create(
        ProductLineField(
            product=product,
            key=spec.key,
            label=spec.label,
            kind=spec.kind,
            required=spec.required,
            max_length=spec.max_length,
            choices=list(spec.choices),
            position=position,
        )
        for position, spec in enumerate(specs)
    )


def product_line_fields_set(*, product: Product, line_fields: list[LineFieldSpec]) -> None:
    """Give the (locked) product exactly these line fields, in this order; an empty list
    removes them. Lines already in carts keep what they say. Raises LineFieldInvalidError."""
    _check_line_fields(line_fields)
    ProductLineField.objects.filter(product=product).delete()
    _create_line_fields(product, line_fields)


def _product(product_id: int) -> Product:
    if not 0 < product_id <= MAX_ID:
        raise ProductNotFoundError()
    try:
        return Product.objects.select_for_update().get(pk=product_id)
    except Product.DoesNotExist as exc:
        raise ProductNotFoundError() from exc


UNSET = object()


@transaction.atomic
def product_update(
    *,
    product_id: int,
    name: str | None = None,
    status: str | None = None,
    description: str | None = None,
    category=UNSET,
    line_fields: list[LineFieldSpec] | None = None,
) -> Product:
    """Change a product's name, status, description, category or line fields (given: they
    replace its fields). Raises ProductNotFoundError, CategoryNotFoundError,
    LineFieldInvalidError."""
    product = _product(product_id)
    if line_fields is not None:
        product_line_fields_set(product=product, line_fields=line_fields)
    if name is not None:
        product.name = name
    if status is not None:
        product.status = status
    if description is not None:
        product.description = description
    if category is not UNSET:
        product.category = _category(category)
    product.save()
    return product


@transaction.atomic
def product_retire(*, product_id: int) -> Product:
    """Take a product off sale for good (archived, never deleted: carts and orders keep
    pointing at it). Retiring twice is harmless. Raises ProductNotFoundError."""
    product = _product(product_id)
    if product.status != Product.Status.ARCHIVED:
        product.status = Product.Status.ARCHIVED
        product.save(update_fields=["status", "updated_at"])
    return product


def variant_update(
    *,
    variant_id: int,
    price: Decimal | None = None,
    status: str | None = None,
    compare_at_price=UNSET,
) -> Variant:
    """Set a variant's price, compare-at price or status. Only the fields given are written,
    so a stock change made meanwhile is never overwritten. Raises VariantNotFoundError."""
    if not 0 < variant_id <= MAX_ID:
        raise VariantNotFoundError()
    try:
        variant = Variant.objects.select_related("product").get(pk=variant_id)
    except Variant.DoesNotExist as exc:
        raise VariantNotFoundError() from exc
    changed = []
    if price is not None:
        variant.price = price
        changed.append("price")
    if status is not None:
        variant.status = status
        changed.append("status")
    if compare_at_price is not UNSET:
        variant.compare_at_price = compare_at_price
        changed.append("compare_at_price")
    if changed:
        variant.save(update_fields=[*changed, "updated_at"])
    return variant


def product_search_update(*, products: QuerySet[Product]) -> int:
    """Recompute the search vector of these products from their name, category, description
    and active variants; PostgreSQL only (elsewhere search reads the text itself). Return how
    many products were updated."""
    if not full_text_search_available():
        return 0
    return products.update(search_vector=product_search_vector())

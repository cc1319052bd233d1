"""Changing a cart's lines: add, set, adjust, remove, clear, replace, validate.

Each function is one transaction: it locks the cart row (cart/locks.py) before reading its
lines, so concurrent writers to one cart queue up instead of losing updates. Every change
passes through `_commit`, which moves the cart's version on, sends `cart_changed` and writes
one CartEvent. HTML views, the API and Celery tasks all call these.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cart.exceptions import (
    CartFullError,
    CartVersionMismatchError,
    InvalidQuantityError,
    LineNotFoundError,
    PurchaseRefusedError,
    QuantityAboveMaximumError,
    VariantNotFoundError,
)
from cart.locks import lock_cart
from cart.models import Cart, CartEvent, CartLine, new_cart_token
from cart.selectors import (
    CartOwner,
    CartSummary,
    cart_get,
    cart_load_lines,
    cart_summary_build,
    empty_summary,
    open_cart_queryset,
)
from cart.services.events import cart_event_record
from cart.signals import cart_changed
from catalog.models import Product, Variant
from catalog.selectors import first_image_expression
from inventory.availability import purchase_permitted
from inventory.selectors import variant_queryset_with_availability
from shop.metrics import CART_OPERATIONS, counted

MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class CartChange:
    """What a cart operation did: the cart as it now is, and a sentence for the shopper."""

    summary: CartSummary
    message: str
    changed: bool = True
    line_id: int | None = None
    created_cart: bool = False
    # (variant id, quantity) pairs a removal took away, so the shopper can undo it.
    removed: tuple[tuple[int, int], ...] = ()


# ---------------------------------------------------------------------------
# Helpers: run inside a service's transaction
# ---------------------------------------------------------------------------


def lock_open_cart(owner: CartOwner, *, create: bool) -> tuple[Cart | None, bool]:
    """Lock the owner's open cart; create it when asked and missing. Returns (cart, created)."""
    queryset = open_cart_queryset(owner)
    cart = lock_cart(queryset)
    if cart is not None or not create:
        return cart, False
    if owner.user is None:
        return Cart.objects.create(), True
    try:
        with transaction.atomic():
            return Cart.objects.create(user=owner.user), True
    except IntegrityError:  # another request created this user's open cart first
        return lock_cart(queryset), False


def _check_version(cart: Cart | None, expected_version: int | None) -> None:
    current = cart.version if cart is not None else 0
    if expected_version is not None and expected_version != current:
        raise CartVersionMismatchError(current_version=current)


def _check_quantity(quantity: int) -> None:
    if quantity < 1:
        raise InvalidQuantityError()
    if quantity > settings.CART_MAX_LINE_QUANTITY:
        raise QuantityAboveMaximumError(settings.CART_MAX_LINE_QUANTITY)


def _check_purchase(variant: Variant | None, available: int | None, quantity: int) -> None:
    if quantity > settings.CART_MAX_LINE_QUANTITY:
        raise QuantityAboveMaximumError(settings.CART_MAX_LINE_QUANTITY)
    allowed, refusal = purchase_permitted(
        variant=variant, available=max(0, available or 0), quantity=quantity
    )
    if not allowed:
        raise PurchaseRefusedError(refusal, variant_id=variant.pk if variant else None)


def _shoppable_variants(variant_ids: Iterable[int]) -> dict[int, Variant]:
    """Load variants a shopper may put in a cart, with availability; unknown ids raise."""
    wanted = set(variant_ids)
    for variant_id in wanted:
        if not 0 < variant_id <= MAX_ID:
            raise VariantNotFoundError(variant_id=variant_id)
    if not wanted:
        return {}
    variants = {
        variant.pk: variant
        for variant in variant_queryset_with_availability(
            Variant.objects.select_related("product__category").exclude(
                product__status=Product.Status.DRAFT
            )
        )
        .annotate(image=first_image_expression("product_id"))
        .filter(pk__in=wanted)
    }
    for variant_id in sorted(wanted):
        if variant_id not in variants:
            raise VariantNotFoundError(variant_id=variant_id)
    return variants


def _sum_items(items: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Sum quantities per variant, in the order variants first appear."""
    wanted: dict[int, int] = {}
    for variant_id, quantity in items:
        _check_quantity(quantity)
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    return wanted


def _new_line(cart: Cart, variant: Variant, quantity: int) -> CartLine:
    line = CartLine.objects.create(
        cart=cart,
        variant=variant,
        quantity=quantity,
        unit_price=variant.price,
        sku=variant.sku,
        product_name=variant.product.name,
        variant_name=variant.name,
    )
    # What cart_load_lines would have annotated, so the summary needs no second query.
    line.available_stock = variant.available_stock
    line.image = variant.image
    return line


def set_line_quantity(line: CartLine, quantity: int) -> None:
    line.quantity = quantity
    line.updated_at = timezone.now()
    line.save(update_fields=["quantity", "updated_at"])


def _locked_line(owner: CartOwner, line_id: int) -> tuple[Cart, list[CartLine], CartLine]:
    cart, _created = lock_open_cart(owner, create=False)
    if cart is None:
        raise LineNotFoundError(line_id=line_id)
    lines = cart_load_lines(cart)
    line = next((line for line in lines if line.pk == line_id), None)
    if line is None:
        raise LineNotFoundError(line_id=line_id)
    return cart, lines, line


def announce_change(cart: Cart, *, extra_fields: tuple[str, ...] = ()) -> None:
    """Move the (locked) cart's version on and tell the floors above: the one place every
    change to a cart passes. `extra_fields` are saved with it."""
    now = timezone.now()
    cart.version += 1
    cart.updated_at = now
    cart.last_activity_at = now
    cart.save(update_fields=["version", "updated_at", "last_activity_at", *extra_fields])
    cart_changed.send(sender=Cart, cart=cart)


def commit_change(
    *,
    cart: Cart,
    lines: list[CartLine],
    owner: CartOwner,
    source: str,
    event_type: str,
    change: dict,
    message: str,
    line_id: int | None = None,
    created: bool = False,
    removed: tuple[tuple[int, int], ...] = (),
) -> CartChange:
    announce_change(cart)
    summary = cart_summary_build(cart=cart, lines=lines)
    cart_event_record(
        event_type=event_type, summary=summary, user=owner.user, source=source, change=change
    )
    return CartChange(
        summary=summary, message=message, line_id=line_id, created_cart=created, removed=removed
    )


def _unchanged(cart: Cart | None, lines: list[CartLine], message: str, line_id=None) -> CartChange:
    summary = cart_summary_build(cart=cart, lines=lines) if cart is not None else empty_summary()
    return CartChange(summary=summary, message=message, changed=False, line_id=line_id)


def _add(
    *,
    owner: CartOwner,
    wanted: dict[int, int],
    source: str,
    expected_version: int | None,
    operation: str,
) -> CartChange:
    for variant_id in wanted:
        if not 0 < variant_id <= MAX_ID:
            raise VariantNotFoundError(variant_id=variant_id)
    cart, created = lock_open_cart(owner, create=True)
    _check_version(None if created else cart, expected_version)
    lines = cart_load_lines(cart)
    by_variant = {line.variant_id: line for line in lines}
    # Variants already in the cart came with its lines; only the others need loading.
    new_variants = _shoppable_variants(v for v in wanted if v not in by_variant)
    if len(lines) + len(new_variants) > settings.CART_MAX_LINES:
        raise CartFullError(settings.CART_MAX_LINES)
    changes = []
    last_line = None
    for variant_id, quantity in wanted.items():
        line = by_variant.get(variant_id)
        if line is None:
            variant = new_variants[variant_id]
            _check_purchase(variant, variant.available_stock, quantity)
            line = _new_line(cart, variant, quantity)
            lines.append(line)
            before = 0
        else:
            before = line.quantity
            _check_purchase(line.variant, line.available_stock, before + quantity)
            set_line_quantity(line, before + quantity)
        last_line = line
        changes.append(
            {"variant_id": variant_id, "quantity_before": before, "quantity_after": line.quantity}
        )
    return commit_change(
        cart=cart,
        lines=lines,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.ITEM_ADDED,
        change={"operation": operation, "lines": changes},
        message=_("Added to cart"),
        line_id=last_line.pk if last_line else None,
        created=created,
    )


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


@counted(CART_OPERATIONS, "add")
@transaction.atomic
def cart_add_line(
    *,
    owner: CartOwner,
    variant_id: int,
    quantity: int = 1,
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Add a variant to the cart, summing with an existing line for the same variant.

    Creates the cart on the first write. Raises InvalidQuantityError,
    QuantityAboveMaximumError, VariantNotFoundError, PurchaseRefusedError, CartFullError,
    CartVersionMismatchError; on any of them nothing changes.
    """
    return _add(
        owner=owner,
        wanted=_sum_items([(variant_id, quantity)]),
        source=source,
        expected_version=expected_version,
        operation="add",
    )


@counted(CART_OPERATIONS, "add_many")
@transaction.atomic
def cart_add_lines(
    *,
    owner: CartOwner,
    items: Iterable[tuple[int, int]],
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Add several (variant id, quantity) pairs at once, all or nothing, each summing like an add.

    Raises what `cart_add_line` raises, for the first item that fails.
    """
    wanted = _sum_items(items)
    if not wanted:
        raise InvalidQuantityError(_("Add at least one item."))
    return _add(
        owner=owner,
        wanted=wanted,
        source=source,
        expected_version=expected_version,
        operation="bulk_add",
    )


@counted(CART_OPERATIONS, "set_quantity")
@transaction.atomic
def cart_set_line_quantity(
    *,
    owner: CartOwner,
    line_id: int,
    quantity: int,
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Set a line's quantity; 0 removes it. Raising is checked against stock, lowering never is.

    Raises LineNotFoundError, InvalidQuantityError, QuantityAboveMaximumError,
    PurchaseRefusedError, CartVersionMismatchError.
    """
    if quantity == 0:
        return cart_remove_line(
            owner=owner, line_id=line_id, source=source, expected_version=expected_version
        )
    _check_quantity(quantity)
    cart, lines, line = _locked_line(owner, line_id)
    _check_version(cart, expected_version)
    return _change_quantity(cart, lines, line, quantity, owner=owner, source=source)


@counted(CART_OPERATIONS, "adjust_quantity")
@transaction.atomic
def cart_adjust_line_quantity(
    *, owner: CartOwner, line_id: int, delta: int, source: str
) -> CartChange:
    """Raise or lower a line by `delta`, never below 1 (removing a line is `cart_remove_line`).

    Relative, so that several quick clicks each count. Raises LineNotFoundError,
    QuantityAboveMaximumError, PurchaseRefusedError.
    """
    cart, lines, line = _locked_line(owner, line_id)
    target = max(1, line.quantity + delta)
    if target > settings.CART_MAX_LINE_QUANTITY:
        raise QuantityAboveMaximumError(settings.CART_MAX_LINE_QUANTITY)
    return _change_quantity(cart, lines, line, target, owner=owner, source=source)


def _change_quantity(
    cart: Cart, lines: list[CartLine], line: CartLine, quantity: int, *, owner, source
) -> CartChange:
    before = line.quantity
    if quantity == before:
        return _unchanged(cart, lines, _("Quantity unchanged."), line_id=line.pk)
    if quantity > before:
        _check_purchase(line.variant, line.available_stock, quantity)
    set_line_quantity(line, quantity)
    return commit_change(
        cart=cart,
        lines=lines,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.ITEM_UPDATED,
        change={
            "line_id": line.pk,
            "variant_id": line.variant_id,
            "quantity_before": before,
            "quantity_after": quantity,
        },
        message=_("Quantity updated."),
        line_id=line.pk,
    )


@counted(CART_OPERATIONS, "remove")
@transaction.atomic
def cart_remove_line(
    *, owner: CartOwner, line_id: int, source: str, expected_version: int | None = None
) -> CartChange:
    """Remove a line from the cart. Raises LineNotFoundError, CartVersionMismatchError."""
    cart, lines, line = _locked_line(owner, line_id)
    _check_version(cart, expected_version)
    lines.remove(line)
    line.delete()
    return commit_change(
        cart=cart,
        lines=lines,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.ITEM_REMOVED,
        change={
            "line_id": line_id,
            "variant_id": line.variant_id,
            "sku": line.sku,
            "quantity": line.quantity,
        },
        message=_("Removed %(name)s from your cart.") % {"name": line.product_name},
        line_id=line_id,
        removed=((line.variant_id, line.quantity),) if line.variant_id else (),
    )


@counted(CART_OPERATIONS, "clear")
@transaction.atomic
def cart_clear(
    *, owner: CartOwner, source: str, expected_version: int | None = None
) -> CartChange:
    """Remove every line; the cart itself stays open. Raises CartVersionMismatchError."""
    cart, _created = lock_open_cart(owner, create=False)
    _check_version(cart, expected_version)
    lines = cart_load_lines(cart) if cart is not None else []
    if not lines:
        return _unchanged(cart, lines, _("Your cart is already empty."))
    removed = tuple((line.variant_id, line.quantity) for line in lines if line.variant_id)
    CartLine.objects.filter(cart=cart).delete()
    return commit_change(
        cart=cart,
        lines=[],
        owner=owner,
        source=source,
        event_type=CartEvent.Type.CART_CLEARED,
        change={"removed": [{"variant_id": v, "quantity": q} for v, q in removed]},
        message=_("Your cart is now empty."),
        removed=removed,
    )


@counted(CART_OPERATIONS, "replace")
@transaction.atomic
def cart_replace_lines(
    *,
    owner: CartOwner,
    items: Iterable[tuple[int, int]],
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Make the cart hold exactly these (variant id, quantity) pairs, all or nothing.

    Lines for variants already in the cart keep the price seen when they were added.
    Raises what `cart_add_line` raises.
    """
    wanted = _sum_items(items)
    if len(wanted) > settings.CART_MAX_LINES:
        raise CartFullError(settings.CART_MAX_LINES)
    variants = _shoppable_variants(wanted)
    cart, created = lock_open_cart(owner, create=bool(wanted))
    _check_version(None if created else cart, expected_version)
    if cart is None:
        return _unchanged(None, [], _("Your cart is empty."))
    lines = cart_load_lines(cart)
    by_variant = {line.variant_id: line for line in lines}
    kept: list[CartLine] = []
    for variant_id, quantity in wanted.items():
        variant = variants[variant_id]
        _check_purchase(variant, variant.available_stock, quantity)
        line = by_variant.pop(variant_id, None)
        if line is None:
            line = _new_line(cart, variant, quantity)
        elif line.quantity != quantity:
            set_line_quantity(line, quantity)
        kept.append(line)
    CartLine.objects.filter(pk__in=[line.pk for line in by_variant.values()]).delete()
    kept.sort(key=lambda line: (line.added_at, line.pk))
    return commit_change(
        cart=cart,
        lines=kept,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.ITEM_UPDATED,
        change={
            "operation": "replace",
            "lines": [{"variant_id": v, "quantity": q} for v, q in wanted.items()],
        },
        message=_("Cart updated."),
        created=created,
    )


@counted(CART_OPERATIONS, "validate")
@transaction.atomic
def cart_validate(*, owner: CartOwner, source: str) -> CartSummary:
    """Check every line against stock, the catalog and current prices, and record the check."""
    cart = cart_get(owner=owner)
    if cart is None:
        return empty_summary()
    summary = cart_summary_build(cart=cart, lines=cart_load_lines(cart))
    cart_event_record(
        event_type=CartEvent.Type.CART_VALIDATED,
        summary=summary,
        user=owner.user,
        source=source,
        change={
            "is_valid": summary.is_valid,
            "issues": [
                {"line_id": line.id, "issue_type": issue.type} for line, issue in summary.issues
            ],
        },
    )
    return summary


def cart_checkout_started(*, cart: Cart, email: str, site_url: str) -> None:
    """Mark the (locked) cart as in checkout, and remember where a reminder can go if a guest
    leaves it behind and the shop's address as they reached it."""
    cart.in_checkout = True
    fields = ["in_checkout"]
    if cart.user_id is None and cart.email != email:
        cart.email = email
        fields.append("email")
    if not cart.site_url:
        cart.site_url = site_url
        fields.append("site_url")
    cart.save(update_fields=fields)


def cart_token_rotate(*, cart: Cart) -> str:
    """Give the (locked) guest cart a new token, so the old one names it no more; returns it."""
    cart.token = new_cart_token()
    cart.save(update_fields=["token"])
    return cart.token


def cart_checkout_ended(*, cart: Cart) -> None:
    """Mark the (locked) cart as having no checkout open any more."""
    if cart.in_checkout:
        cart.in_checkout = False
        cart.save(update_fields=["in_checkout"])


def cart_convert(*, cart: Cart, reference: str, user) -> None:
    """The (locked) cart became an order: the shopper starts afresh; a reminded cart counts
    as recovered."""
    if cart.reminded_at is not None:
        cart_event_record(
            event_type=CartEvent.Type.CART_RECOVERED,
            summary=cart_summary_build(cart=cart, lines=cart_load_lines(cart)),
            user=user,
            source="payment",
            change={"order_number": reference, "via": "payment"},
        )
    cart.status = Cart.Status.CONVERTED
    cart.updated_at = timezone.now()
    cart.save(update_fields=["status", "updated_at"])


def cart_site_record(*, cart_id: int, site_url: str) -> None:
    """Remember the shop's address as the shopper reached it, for links in later emails."""
    Cart.objects.filter(pk=cart_id).exclude(site_url=site_url).update(site_url=site_url)

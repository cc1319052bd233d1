"""Changing a cart's lines: add, set, adjust, remove, clear, replace, validate.

Each function is one transaction: it locks the cart row (cart/locks.py) before reading its
lines, so concurrent writers to one cart queue up instead of losing updates. Every change
passes through `_commit`, which moves the cart's version on, sends `cart_changed` and writes
one CartEvent. HTML views, the API and Celery tasks all call these.
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cart.exceptions import (
    CartFullError,
    CartNoteInvalidError,
    CartNoteTooLongError,
    CartVersionMismatchError,
    InvalidQuantityError,
    LineNotFoundError,
    PurchaseRefusedError,
    QuantityAboveMaximumError,
    VariantNotFoundError,
)
from cart.live import cart_live_announce
from cart.locks import lock_cart
from cart.models import (
    NOTE_MAX_LENGTH,
    Cart,
    CartEvent,
    CartLine,
    SavedItem,
    WishlistItem,
    new_cart_token,
)
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
from catalog.properties import (
    NO_PROPERTIES,
    NOTE_CONTROLS_ALLOWED,
    LineProperties,
    has_control_characters,
    line_properties_clean,
)
from catalog.selectors import (
    first_image_expression,
    has_line_fields_expression,
    line_fields_by_product,
)
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
    # (variant id, quantity, properties) a removal took away, so the shopper can undo it.
    removed: tuple[tuple[int, int, dict], ...] = ()


@dataclass(frozen=True)
class LineRequest:
    """One item asked for: a variant, how many, and what the shopper said about it."""

    variant_id: int
    quantity: int
    properties: Mapping | None = None


# What services that add take: LineRequests, or (variant id, quantity[, properties]) tuples.
Items = Iterable[LineRequest | tuple]


@dataclass
class _Wanted:
    variant_id: int
    properties: LineProperties
    quantity: int

    @property
    def key(self) -> tuple[int, str]:
        return (self.variant_id, self.properties.key)


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
        .annotate(
            image=first_image_expression("product_id"),
            has_line_fields=has_line_fields_expression("product_id"),
        )
        .filter(pk__in=wanted)
    }
    for variant_id in sorted(wanted):
        if variant_id not in variants:
            raise VariantNotFoundError(variant_id=variant_id)
    return variants


def _requests(items: Items) -> list[LineRequest]:
    """The items as LineRequests, each quantity checked (at least 1, at most the maximum)."""
    requests = []
    for item in items:
        request = item if isinstance(item, LineRequest) else LineRequest(*item)
        _check_quantity(request.quantity)
        requests.append(request)
    return requests


def _line_fields(
    variant_ids: Iterable[int], variants: Mapping[int, Variant], unknown: set[int]
) -> dict[int, list]:
    """The line fields of the variants' products: loaded only for products that have some,
    or whose variants came with the cart's lines (`unknown`), so a plain add costs nothing."""
    product_ids = {
        variants[v].product_id
        for v in variant_ids
        if v in unknown or getattr(variants[v], "has_line_fields", True)
    }
    return line_fields_by_product(product_ids)


def _combine(
    requests: list[LineRequest], variants: Mapping[int, Variant], fields: Mapping[int, list]
) -> dict[tuple[int, str], _Wanted]:
    """Check each request's properties against its product's line fields (one rule,
    catalog/properties.py) and sum the requests that name the same variant and properties,
    in the order they first appear."""
    wanted: dict[tuple[int, str], _Wanted] = {}
    for request in requests:
        variant = variants[request.variant_id]
        properties = line_properties_clean(
            fields=fields.get(variant.product_id, ()),
            properties=request.properties,
            variant_id=variant.pk,
        )
        item = _Wanted(variant.pk, properties, request.quantity)
        if item.key in wanted:
            wanted[item.key].quantity += request.quantity
        else:
            wanted[item.key] = item
    return wanted


def variant_totals(lines: Iterable[CartLine]) -> dict[int, int]:
    """How many of each variant the lines hold together (lines differ by properties)."""
    totals: dict[int, int] = {}
    for line in lines:
        if line.variant_id is not None:
            totals[line.variant_id] = totals.get(line.variant_id, 0) + line.quantity
    return totals


def _new_line(
    cart: Cart,
    variant: Variant,
    quantity: int,
    properties: LineProperties = NO_PROPERTIES,
    *,
    sibling: CartLine | None = None,
) -> CartLine:
    """Create a line; `sibling`, a loaded line of the same variant, gives what the variant
    was annotated with when it came with the cart's lines rather than on its own."""
    line = CartLine.objects.create(
        cart=cart,
        variant=variant,
        quantity=quantity,
        unit_price=variant.price,
        sku=variant.sku,
        product_name=variant.product.name,
        variant_name=variant.name,
        properties=properties.values,
        properties_key=properties.key,
        properties_display=list(properties.display),
    )
    # What cart_load_lines would have annotated, so the summary needs no second query.
    annotated = sibling if sibling is not None else variant
    line.available_stock = annotated.available_stock
    line.image = annotated.image
    return line


def _removed(line: CartLine) -> tuple[int, int, dict]:
    return (line.variant_id, line.quantity, dict(line.properties or {}))


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
    cart_live_announce(cart=cart)


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
    removed: tuple[tuple[int, int, dict], ...] = (),
    extra_fields: tuple[str, ...] = (),
) -> CartChange:
    announce_change(cart, extra_fields=extra_fields)
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
    requests: list[LineRequest],
    source: str,
    expected_version: int | None,
    operation: str,
    event_type: str = CartEvent.Type.ITEM_ADDED,
    message: str | None = None,
) -> CartChange:
    for request in requests:
        if not 0 < request.variant_id <= MAX_ID:
            raise VariantNotFoundError(variant_id=request.variant_id)
    cart, created = lock_open_cart(owner, create=True)
    _check_version(None if created else cart, expected_version)
    lines = cart_load_lines(cart)
    # Variants already in the cart came with its lines; only the others need loading.
    from_lines = {line.variant_id: line for line in lines if line.variant_id is not None}
    wanted_ids = list(dict.fromkeys(request.variant_id for request in requests))
    variants: dict[int, Variant] = {
        v: from_lines[v].variant for v in wanted_ids if v in from_lines
    }
    variants.update(_shoppable_variants(v for v in wanted_ids if v not in from_lines))
    fields = _line_fields(wanted_ids, variants, unknown=set(from_lines))
    wanted = _combine(requests, variants, fields)
    by_key = {(line.variant_id, line.properties_key): line for line in lines}
    if len(lines) + sum(1 for key in wanted if key not in by_key) > settings.CART_MAX_LINES:
        raise CartFullError(settings.CART_MAX_LINES)
    # Stock and the line maximum count every line of a variant, whatever its properties.
    held = variant_totals(lines)
    adding: dict[int, int] = {}
    for item in wanted.values():
        adding[item.variant_id] = adding.get(item.variant_id, 0) + item.quantity
    for variant_id, quantity in adding.items():
        line = from_lines.get(variant_id)
        available = line.available_stock if line else variants[variant_id].available_stock
        _check_purchase(variants[variant_id], available, held.get(variant_id, 0) + quantity)
    changes = []
    last_line = None
    for key, item in wanted.items():
        line = by_key.get(key)
        if line is None:
            line = _new_line(
                cart,
                variants[item.variant_id],
                item.quantity,
                item.properties,
                sibling=from_lines.get(item.variant_id),
            )
            lines.append(line)
            before = 0
        else:
            before = line.quantity
            set_line_quantity(line, before + item.quantity)
        last_line = line
        changes.append(
            {
                "variant_id": item.variant_id,
                "quantity_before": before,
                "quantity_after": line.quantity,
            }
        )
    return commit_change(
        cart=cart,
        lines=lines,
        owner=owner,
        source=source,
        event_type=event_type,
        change={"operation": operation, "lines": changes},
        message=_("Added to cart") if message is None else message,
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
    properties: Mapping | None = None,
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Add a variant to the cart, summing with an existing line for the same variant and
    the same properties (checked against the product's line fields).

    Creates the cart on the first write. Stock and the line maximum count all the lines of
    the variant. Raises InvalidQuantityError, QuantityAboveMaximumError,
    VariantNotFoundError, LinePropertyError, PurchaseRefusedError, CartFullError,
    CartVersionMismatchError; on any of them nothing changes.
    """
    return _add(
        owner=owner,
        requests=_requests([LineRequest(variant_id, quantity, properties)]),
        source=source,
        expected_version=expected_version,
        operation="add",
    )


@counted(CART_OPERATIONS, "add_many")
@transaction.atomic
def cart_add_lines(
    *,
    owner: CartOwner,
    items: Items,
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Add several items ((variant id, quantity[, properties]) or LineRequests) at once, all
    or nothing, each summing like an add.

    Raises what `cart_add_line` raises, for the first item that fails.
    """
    requests = _requests(items)
    if not requests:
        raise InvalidQuantityError(_("Add at least one item."))
    return _add(
        owner=owner,
        requests=requests,
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
        others = variant_totals(lines).get(line.variant_id, 0) - before
        _check_purchase(line.variant, line.available_stock, quantity + others)
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
        removed=(_removed(line),) if line.variant_id else (),
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
    removed = tuple(_removed(line) for line in lines if line.variant_id)
    CartLine.objects.filter(cart=cart).delete()
    return commit_change(
        cart=cart,
        lines=[],
        owner=owner,
        source=source,
        event_type=CartEvent.Type.CART_CLEARED,
        change={"removed": [{"variant_id": v, "quantity": q} for v, q, _p in removed]},
        message=_("Your cart is now empty."),
        removed=removed,
    )


@counted(CART_OPERATIONS, "replace")
@transaction.atomic
def cart_replace_lines(
    *,
    owner: CartOwner,
    items: Items,
    source: str,
    expected_version: int | None = None,
) -> CartChange:
    """Make the cart hold exactly these items ((variant id, quantity[, properties]) or
    LineRequests), all or nothing; items naming the same variant and properties sum.

    Lines for the same variant and properties already in the cart keep the price seen when
    they were added. Raises what `cart_add_line` raises.
    """
    requests = _requests(items)
    variants = _shoppable_variants(request.variant_id for request in requests)
    fields = _line_fields(variants, variants, unknown=set())
    wanted = _combine(requests, variants, fields)
    if len(wanted) > settings.CART_MAX_LINES:
        raise CartFullError(settings.CART_MAX_LINES)
    totals: dict[int, int] = {}
    for item in wanted.values():
        totals[item.variant_id] = totals.get(item.variant_id, 0) + item.quantity
    for variant_id, quantity in totals.items():
        variant = variants[variant_id]
        _check_purchase(variant, variant.available_stock, quantity)
    cart, created = lock_open_cart(owner, create=bool(wanted))
    _check_version(None if created else cart, expected_version)
    if cart is None:
        return _unchanged(None, [], _("Your cart is empty."))
    lines = cart_load_lines(cart)
    by_key = {(line.variant_id, line.properties_key): line for line in lines}
    kept: list[CartLine] = []
    for key, item in wanted.items():
        line = by_key.pop(key, None)
        if line is None:
            line = _new_line(cart, variants[item.variant_id], item.quantity, item.properties)
        elif line.quantity != item.quantity:
            set_line_quantity(line, item.quantity)
        kept.append(line)
    CartLine.objects.filter(pk__in=[line.pk for line in by_key.values()]).delete()
    kept.sort(key=lambda line: (line.added_at, line.pk))
    return commit_change(
        cart=cart,
        lines=kept,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.ITEM_UPDATED,
        change={
            "operation": "replace",
            "lines": [
                {"variant_id": item.variant_id, "quantity": item.quantity}
                for item in wanted.values()
            ],
        },
        message=_("Cart updated."),
        created=created,
    )


def note_clean(note: str) -> str:
    """A cart note as stored: line breaks as LF, trimmed, in NFC; refuses NUL and other
    control characters and more than NOTE_MAX_LENGTH characters (CartNoteInvalidError,
    CartNoteTooLongError)."""
    note = unicodedata.normalize("NFC", note.replace("\r\n", "\n").replace("\r", "\n").strip())
    if has_control_characters(note, NOTE_CONTROLS_ALLOWED):
        raise CartNoteInvalidError()
    if len(note) > NOTE_MAX_LENGTH:
        raise CartNoteTooLongError(NOTE_MAX_LENGTH)
    return note


@counted(CART_OPERATIONS, "note")
@transaction.atomic
def cart_note_set(
    *, owner: CartOwner, note: str, source: str, expected_version: int | None = None
) -> CartChange:
    """Set the note that goes with the order (empty clears it); a note for a cart not made
    yet makes it. Like every change, it ends the cart's open checkout.

    Raises CartNoteInvalidError, CartNoteTooLongError, CartVersionMismatchError.
    """
    note = note_clean(note)
    cart, created = lock_open_cart(owner, create=bool(note))
    _check_version(None if created else cart, expected_version)
    if cart is None:
        return _unchanged(None, [], _("Note saved."))
    lines = cart_load_lines(cart)
    if cart.note == note:
        return _unchanged(cart, lines, _("Note saved."))
    cart.note = note
    announce_change(cart, extra_fields=("note",))
    return CartChange(
        summary=cart_summary_build(cart=cart, lines=lines),
        message=_("Note saved."),
        created_cart=created,
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
    cart_live_announce(cart=cart)


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
        cart_live_announce(cart=cart)


def cart_convert(*, cart: Cart, reference: str, user) -> None:
    """The (locked) cart became an order: the shopper starts afresh (a guest keeping their
    saved items and wishlist); a reminded cart counts as recovered."""
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
    cart_live_announce(cart=cart)  # before a guest's token moves to their fresh cart
    if cart.user_id is None:
        _guest_keeps_carry_over(cart)


def _guest_keeps_carry_over(cart: Cart) -> None:
    """A guest's saved items and wishlist hang off their cart: when it becomes an order, a
    fresh open cart takes them and the token the guest holds, so they are still there."""
    saved = SavedItem.objects.filter(cart=cart)
    wished = WishlistItem.objects.filter(cart=cart)
    if not saved.exists() and not wished.exists():
        return
    token = cart.token
    cart.token = new_cart_token()
    cart.save(update_fields=["token"])
    fresh = Cart.objects.create(token=token, currency=cart.currency, site_url=cart.site_url)
    saved.update(cart=fresh)
    wished.update(cart=fresh)


def cart_site_record(*, cart_id: int, site_url: str) -> None:
    """Remember the shop's address as the shopper reached it, for links in later emails."""
    Cart.objects.filter(pk=cart_id).exclude(site_url=site_url).update(site_url=site_url)

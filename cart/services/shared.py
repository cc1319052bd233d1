"""Shared carts: a snapshot of cart lines behind an unguessable, read-only link that expires.

A shopper (or a guest) shares their cart; staff make one for a customer in admin (an
assisted sale). The snapshot keeps variants, quantities and line properties only: never the
live cart, who shared it or the prices they saw. Opening the link shows the lines at today's
prices and stock; "Add all to my cart" puts every line in the visitor's own cart in one
transaction. Unlike a normal add it caps rather than refuses (by stock and the line maximum,
counting what the visitor's cart already holds) and leaves out, and reports, what cannot be
bought any more or whose properties no longer fit the product's line fields. The page and
the API call the same functions; `_plan` is the one rule for what an add would put in.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cart.exceptions import (
    CartFullError,
    QuantityAboveMaximumError,
    SharedCartEmptyError,
    SharedCartNotFoundError,
    VariantNotFoundError,
)
from cart.models import CartEvent, CartLine, SharedCart, SharedCartLine
from cart.selectors import (
    CartOwner,
    CartSummary,
    cart_get,
    cart_load_lines,
    cart_summary_build,
    empty_summary,
)
from cart.services.events import cart_event_record
from cart.services.lines import (
    Items,
    _check_version,
    _combine,
    _new_line,
    _requests,
    _shoppable_variants,
    commit_change,
    lock_open_cart,
    set_line_quantity,
    variant_totals,
)
from catalog.exceptions import LinePropertyError
from catalog.models import variant_display_name, variant_label
from catalog.properties import LineProperties, line_properties_clean
from catalog.selectors import first_image_expression, is_sellable, line_fields_by_product
from inventory.availability import stock_status
from inventory.selectors import available_stock_expression
from shop.metrics import CART_OPERATIONS, counted
from shop.money import ZERO

# Tokens are made by secrets.token_urlsafe(32); anything else names no shared cart.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}\Z")

# Why a line was capped or left out (the API's `reason`).
UNAVAILABLE = "unavailable"
OPTIONS_CHANGED = "options_changed"
OUT_OF_STOCK = "out_of_stock"
INSUFFICIENT_STOCK = "insufficient_stock"
LINE_MAXIMUM = "line_maximum"
CART_FULL = "cart_full"
REASONS = (UNAVAILABLE, OPTIONS_CHANGED, OUT_OF_STOCK, INSUFFICIENT_STOCK, LINE_MAXIMUM, CART_FULL)


def shared_cart_path(token: str) -> str:
    """The shared cart's page, as a path (absolute links add the shop's address)."""
    return reverse("cart:shared", args=[token])


@dataclass(frozen=True)
class SharedCartLink:
    """A link made by sharing: its token, page path and when it stops working."""

    shared_cart_id: int
    token: str
    expires_at: datetime
    created: bool = True
    # The cart and its version the snapshot was taken of (a shopper's share).
    cart_id: int | None = None
    cart_version: int | None = None

    @property
    def path(self) -> str:
        return shared_cart_path(self.token)


@dataclass(frozen=True)
class SharedCartItem:
    """One line of a shared cart as a visitor sees it: today's price and stock, and what
    "Add all" would put in a cart that holds none of it yet."""

    variant_id: int | None
    product_id: int | None
    sku: str
    product_name: str
    variant_name: str
    product_slug: str
    image_url: str
    quantity: int
    addable_quantity: int
    current_price: Decimal | None
    line_total: Decimal
    available_stock: int
    issue: str | None
    issue_message: str
    stock_label: str
    properties: dict = field(default_factory=dict)
    properties_display: tuple[dict, ...] = ()

    @property
    def is_available(self) -> bool:
        """Whether any of it can be added."""
        return self.addable_quantity > 0

    @property
    def variant_display_name(self) -> str:
        return variant_display_name(self.variant_name)

    @property
    def variant_label(self) -> str:
        return variant_label(self.variant_name)

    @property
    def product_url(self) -> str:
        return f"/products/{self.product_slug}/" if self.product_slug else ""


@dataclass(frozen=True)
class SharedCartView:
    """A shared cart as its page and the API show it."""

    token: str
    kind: str
    expires_at: datetime
    currency: str
    items: tuple[SharedCartItem, ...]

    @property
    def subtotal(self) -> Decimal:
        return sum((item.line_total for item in self.items), ZERO)

    @property
    def total_items(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def can_add(self) -> bool:
        return any(item.is_available for item in self.items)

    @property
    def path(self) -> str:
        return shared_cart_path(self.token)


@dataclass(frozen=True)
class SharedLineOutcome:
    """What "Add all" did with one shared line: `added` of `requested`, and why not all."""

    variant_id: int | None
    name: str
    requested: int
    added: int
    reason: str | None = None
    available: int = 0


@dataclass(frozen=True)
class SharedCartAddResult:
    """What adding a shared cart did, to tell the visitor."""

    summary: CartSummary
    outcomes: tuple[SharedLineOutcome, ...]
    created_cart: bool = False

    @property
    def changed(self) -> bool:
        return self.added_units > 0

    @property
    def added_units(self) -> int:
        return sum(outcome.added for outcome in self.outcomes)

    @property
    def capped(self) -> list[SharedLineOutcome]:
        return [o for o in self.outcomes if 0 < o.added < o.requested]

    @property
    def left_out(self) -> list[SharedLineOutcome]:
        return [o for o in self.outcomes if o.added == 0]

    @property
    def message(self) -> str:
        parts = []
        if self.added_units:
            parts.append(
                ngettext(
                    "Added %(count)d item to your cart.",
                    "Added %(count)d items to your cart.",
                    self.added_units,
                )
                % {"count": self.added_units}
            )
        else:
            parts.append(_("Nothing could be added to your cart."))
        for outcome in self.capped:
            if outcome.reason == LINE_MAXIMUM:
                note = _(
                    "%(name)s: %(added)d of %(requested)d added (at most %(max)d of one item)."
                )
            else:
                note = _("%(name)s: %(added)d of %(requested)d added (only %(available)d left).")
            parts.append(
                note
                % {
                    "name": outcome.name,
                    "added": outcome.added,
                    "requested": outcome.requested,
                    "available": outcome.available,
                    "max": settings.CART_MAX_LINE_QUANTITY,
                }
            )
        if self.left_out:
            items = ", ".join(
                f"{outcome.name} ({_left_out_reason(outcome.reason)})" for outcome in self.left_out
            )
            parts.append(_("Not added: %(items)s.") % {"items": items})
        return " ".join(parts)


def _left_out_reason(reason: str | None) -> str:
    return {
        UNAVAILABLE: _("no longer available"),
        OPTIONS_CHANGED: _("its options have changed"),
        OUT_OF_STOCK: _("out of stock"),
        INSUFFICIENT_STOCK: _("no more left in stock"),
        LINE_MAXIMUM: _("your cart already holds the most of one item"),
        CART_FULL: _("your cart is full"),
    }.get(reason or "", _("not available"))


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def shared_cart_get(*, token: str) -> SharedCart:
    """Return the shared cart of a link that still works. Raises SharedCartNotFoundError for
    a malformed, unknown or expired token (all alike, so none can be told apart)."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        raise SharedCartNotFoundError()
    shared = SharedCart.objects.filter(token=token, expires_at__gt=timezone.now()).first()
    if shared is None:
        raise SharedCartNotFoundError()
    return shared


def _snapshot_lines(shared: SharedCart) -> list[SharedCartLine]:
    """The snapshot's lines with their variants, today's availability and picture."""
    return list(
        SharedCartLine.objects.filter(shared_cart=shared)
        .select_related("variant__product__category")
        .annotate(
            available_stock=available_stock_expression("variant__"),
            image=first_image_expression("variant__product_id"),
        )
        .order_by("position", "id")
    )


def _line_name(line: SharedCartLine) -> str:
    variant = line.variant
    product_name = variant.product.name if variant is not None else line.product_name
    label = variant_label(variant.name if variant is not None else line.variant_name)
    return f"{product_name} ({label})" if label else product_name


@dataclass
class _Planned:
    line: SharedCartLine
    added: int
    reason: str | None
    available: int
    properties: LineProperties | None = None


def _plan(
    snapshot: list[SharedCartLine],
    *,
    cart_lines: list[CartLine],
) -> list[_Planned]:
    """Decide, line by line, how much of each shared line goes into a cart holding
    `cart_lines`: sellable and with properties that still fit the product's line fields,
    capped by stock and the line maximum (counting every line of the variant, the cart's
    and the snapshot's earlier ones), a new line only while the cart has room."""
    fields = line_fields_by_product(
        line.variant.product_id for line in snapshot if line.variant is not None
    )
    held = variant_totals(cart_lines)
    # Variants already in the cart: their availability leaves out the cart's own checkout.
    in_cart = {line.variant_id: line for line in cart_lines if line.variant_id is not None}
    keys = {(line.variant_id, line.properties_key) for line in cart_lines}
    planned = []
    for line in snapshot:
        variant = line.variant
        if variant is None or not is_sellable(variant):
            planned.append(_Planned(line, 0, UNAVAILABLE, 0))
            continue
        try:
            properties = line_properties_clean(
                fields=fields.get(variant.product_id, ()),
                properties=line.properties,
                variant_id=variant.pk,
            )
        except LinePropertyError:  # staff changed the product's line fields since
            planned.append(_Planned(line, 0, OPTIONS_CHANGED, 0))
            continue
        source = in_cart.get(variant.pk, line)
        available = max(0, source.available_stock or 0)
        if available == 0:
            planned.append(_Planned(line, 0, OUT_OF_STOCK, 0, properties))
            continue
        cap = min(settings.CART_MAX_LINE_QUANTITY, available)
        room = max(0, cap - held.get(variant.pk, 0))
        added = min(line.quantity, room)
        reason = None
        if added < line.quantity:
            reason = INSUFFICIENT_STOCK if cap == available else LINE_MAXIMUM
        key = (variant.pk, properties.key)
        if added and key not in keys and len(keys) >= settings.CART_MAX_LINES:
            added, reason = 0, CART_FULL
        if added:
            held[variant.pk] = held.get(variant.pk, 0) + added
            keys.add(key)
        planned.append(_Planned(line, added, reason, available, properties))
    return planned


def _issue_message(plan: _Planned) -> str:
    if plan.reason == UNAVAILABLE:
        return _("No longer available")
    if plan.reason == OPTIONS_CHANGED:
        return _("Its options have changed: it cannot be added as shared.")
    if plan.reason == OUT_OF_STOCK:
        return _("Out of stock")
    if plan.reason == INSUFFICIENT_STOCK:
        if plan.added:
            return _("Only %(available)d left in stock: %(added)d will be added.") % {
                "available": plan.available,
                "added": plan.added,
            }
        return _("No more left in stock.")
    if plan.reason == LINE_MAXIMUM:
        return _("At most %(max)d of one item: %(added)d will be added.") % {
            "max": settings.CART_MAX_LINE_QUANTITY,
            "added": plan.added,
        }
    return ""


def _item(plan: _Planned) -> SharedCartItem:
    line = plan.line
    variant = line.variant
    product = variant.product if variant is not None else None
    price = variant.price if variant is not None else None
    if plan.properties is not None:
        properties, display = plan.properties.values, plan.properties.display
    else:  # as shared: they no longer fit, and the page says so
        properties, display = dict(line.properties or {}), tuple(line.properties_display or ())
    image = getattr(line, "image", None)
    return SharedCartItem(
        variant_id=line.variant_id,
        product_id=product.pk if product else None,
        sku=variant.sku if variant is not None else line.sku,
        product_name=product.name if product else line.product_name,
        variant_name=variant.name if variant is not None else line.variant_name,
        product_slug=product.slug if product and plan.reason != UNAVAILABLE else "",
        image_url=f"{settings.MEDIA_URL}{image}" if image else "",
        quantity=line.quantity,
        addable_quantity=plan.added,
        current_price=price,
        line_total=price * plan.added if price is not None and plan.added else ZERO,
        available_stock=plan.available,
        issue=plan.reason,
        issue_message=_issue_message(plan),
        stock_label=stock_status(variant=variant, available=plan.available).label
        if variant is not None and plan.reason != UNAVAILABLE
        else _("No longer available"),
        properties=properties,
        properties_display=display,
    )


def _view(shared: SharedCart, snapshot: list[SharedCartLine]) -> SharedCartView:
    return SharedCartView(
        token=shared.token,
        kind=shared.kind,
        expires_at=shared.expires_at,
        currency=settings.SHOP_CURRENCY,
        items=tuple(_item(plan) for plan in _plan(snapshot, cart_lines=[])),
    )


def shared_cart_read(*, token: str) -> SharedCartView:
    """The shared cart at today's prices and stock, recording nothing (staff's preview).
    Raises SharedCartNotFoundError."""
    shared = shared_cart_get(token=token)
    return _view(shared, _snapshot_lines(shared))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _snapshot_payload(snapshot: Iterable[SharedCartLine]) -> list[dict]:
    return [
        {"variant_id": line.variant_id, "sku": line.sku, "quantity": line.quantity}
        for line in snapshot
    ]


def shared_cart_open(*, token: str, user=None, viewer: str | None, source: str) -> SharedCartView:
    """Open a shared cart's link: its lines at today's prices and stock. Records one
    shared_cart_opened event per viewer (an account, session or cart token; None counts
    every time) and CART_VIEW_EVENT_MINUTES. Raises SharedCartNotFoundError."""
    shared = shared_cart_get(token=token)
    snapshot = _snapshot_lines(shared)
    key = f"shared-cart:opened:{shared.pk}:{_digest(viewer)}" if viewer else None
    if key is None or cache.add(key, 1, timeout=settings.CART_VIEW_EVENT_MINUTES * 60):
        now = timezone.now()
        SharedCart.objects.filter(pk=shared.pk).update(
            open_count=F("open_count") + 1, last_opened_at=now
        )
        CartEvent.objects.create(
            type=CartEvent.Type.SHARED_CART_OPENED,
            user=user,
            created_at=now,
            payload={
                "shared_cart_id": shared.pk,
                "kind": shared.kind,
                "items": _snapshot_payload(snapshot),
                "logged_in": user is not None,
                "source": source,
            },
        )
    return _view(shared, snapshot)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.SHARED_CART_TTL_DAYS)


@counted(CART_OPERATIONS, "share")
@transaction.atomic
def cart_share(*, owner: CartOwner, source: str) -> SharedCartLink:
    """Share the owner's cart: snapshot its lines (variant, quantity, properties) behind a
    new link that expires after SHARED_CART_TTL_DAYS, and record cart_shared. The same,
    unchanged cart shared again gives the link already made, its time renewed.

    Lines whose variant was deleted are left out. Raises SharedCartEmptyError when nothing
    is left to share.
    """
    cart = cart_get(owner=owner)
    all_lines = cart_load_lines(cart) if cart is not None else []
    lines = [line for line in all_lines if line.variant_id is not None]
    if not lines:
        raise SharedCartEmptyError()
    expires_at = _expiry()
    existing = (
        SharedCart.objects.filter(
            source_cart=cart, source_version=cart.version, expires_at__gt=timezone.now()
        )
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        existing.expires_at = expires_at
        existing.save(update_fields=["expires_at"])
        return SharedCartLink(
            existing.pk, existing.token, expires_at, False, cart.pk, cart.version
        )
    shared = SharedCart.objects.create(
        kind=SharedCart.Kind.SHOPPER,
        source_cart=cart,
        source_version=cart.version,
        expires_at=expires_at,
    )
    SharedCartLine.objects.bulk_create(
        SharedCartLine(
            shared_cart=shared,
            variant_id=line.variant_id,
            quantity=line.quantity,
            properties=dict(line.properties or {}),
            properties_display=list(line.properties_display or ()),
            sku=line.sku,
            product_name=line.product_name,
            variant_name=line.variant_name,
            position=position,
        )
        for position, line in enumerate(lines)
    )
    cart_event_record(
        event_type=CartEvent.Type.CART_SHARED,
        summary=cart_summary_build(cart=cart, lines=all_lines),
        user=owner.user,
        source=source,
        change={
            "shared_cart_id": shared.pk,
            "lines": len(lines),
            "expires_at": expires_at.isoformat(),
        },
    )
    return SharedCartLink(shared.pk, shared.token, expires_at, True, cart.pk, cart.version)


@transaction.atomic
def shared_cart_create_assisted(*, items: Items, staff, label: str = "") -> SharedCartLink:
    """Make a shared cart's link for a customer from the variants, quantities and properties
    staff picked (an assisted sale); the same variant and properties sum. Records
    cart_shared.

    Raises InvalidQuantityError, QuantityAboveMaximumError, VariantNotFoundError (unknown
    or not on sale), LinePropertyError, CartFullError (more lines than a cart holds),
    SharedCartEmptyError (nothing picked); on any of them nothing is made.
    """
    requests = _requests(items)
    if not requests:
        raise SharedCartEmptyError(_("Pick at least one variant."))
    variants = _shoppable_variants(request.variant_id for request in requests)
    for variant in variants.values():
        if not is_sellable(variant):
            raise VariantNotFoundError(
                _("%(name)s is not on sale.") % {"name": str(variant)}, variant_id=variant.pk
            )
    fields = line_fields_by_product(variant.product_id for variant in variants.values())
    wanted = _combine(requests, variants, fields)
    if len(wanted) > settings.CART_MAX_LINES:
        raise CartFullError(settings.CART_MAX_LINES)
    if any(item.quantity > settings.CART_MAX_LINE_QUANTITY for item in wanted.values()):
        raise QuantityAboveMaximumError(settings.CART_MAX_LINE_QUANTITY)
    shared = SharedCart.objects.create(
        kind=SharedCart.Kind.ASSISTED,
        created_by=staff,
        label=label.strip(),
        expires_at=_expiry(),
    )
    snapshot = SharedCartLine.objects.bulk_create(
        SharedCartLine(
            shared_cart=shared,
            variant=variants[item.variant_id],
            quantity=item.quantity,
            properties=item.properties.values,
            properties_display=list(item.properties.display),
            sku=variants[item.variant_id].sku,
            product_name=variants[item.variant_id].product.name,
            variant_name=variants[item.variant_id].name,
            position=position,
        )
        for position, item in enumerate(wanted.values())
    )
    CartEvent.objects.create(
        type=CartEvent.Type.CART_SHARED,
        payload={
            "shared_cart_id": shared.pk,
            "kind": shared.kind,
            "items": _snapshot_payload(snapshot),
            "staff_user_id": staff.pk if staff is not None else None,
            "source": "admin",
            "change": {"shared_cart_id": shared.pk, "lines": len(snapshot)},
        },
    )
    return SharedCartLink(shared.pk, shared.token, shared.expires_at)


@counted(CART_OPERATIONS, "add_shared")
@transaction.atomic
def shared_cart_add_to_cart(
    *,
    token: str,
    owner: CartOwner,
    source: str,
    expected_version: int | None = None,
) -> SharedCartAddResult:
    """Add every line of a shared cart to the owner's cart in one go ("Add all to my cart").

    The same variant and properties sum into the line already there. Unlike an add it never
    refuses: each line is capped by available stock and the line maximum (counting every
    line of the variant in the cart), and a line that cannot be bought any more, whose
    properties no longer fit the product's line fields, or for which the cart has no room,
    is left out; the result says which. Creates the cart only when something is added, and
    records shared_cart_added then. Raises SharedCartNotFoundError, CartVersionMismatchError.
    """
    shared = shared_cart_get(token=token)
    snapshot = _snapshot_lines(shared)
    cart, _created = lock_open_cart(owner, create=False)
    _check_version(cart, expected_version)
    lines = cart_load_lines(cart) if cart is not None else []
    plans = _plan(snapshot, cart_lines=lines)
    outcomes = tuple(
        SharedLineOutcome(
            variant_id=plan.line.variant_id,
            name=_line_name(plan.line),
            requested=plan.line.quantity,
            added=plan.added,
            reason=plan.reason,
            available=plan.available,
        )
        for plan in plans
    )
    if not any(plan.added for plan in plans):
        summary = cart_summary_build(cart=cart, lines=lines) if cart else empty_summary()
        return SharedCartAddResult(summary=summary, outcomes=outcomes)
    created = False
    if cart is None:
        cart, created = lock_open_cart(owner, create=True)
        _check_version(None if created else cart, expected_version)
        lines = cart_load_lines(cart)
    by_key = {(line.variant_id, line.properties_key): line for line in lines}
    in_cart = {line.variant_id: line for line in lines if line.variant_id is not None}
    changes = []
    for plan in plans:
        if not plan.added:
            continue
        variant = plan.line.variant
        key = (variant.pk, plan.properties.key)
        line = by_key.get(key)
        before = line.quantity if line is not None else 0
        if line is None:
            line = _new_line(
                cart,
                variant,
                plan.added,
                plan.properties,
                sibling=in_cart.get(variant.pk, plan.line),
            )
            lines.append(line)
            by_key[key] = line
            in_cart.setdefault(variant.pk, line)
        else:
            set_line_quantity(line, before + plan.added)
        changes.append(
            {"variant_id": variant.pk, "quantity_before": before, "quantity_after": line.quantity}
        )
    SharedCart.objects.filter(pk=shared.pk).update(add_count=F("add_count") + 1)
    # What to say is known before the cart is: the summary comes from the commit.
    result = SharedCartAddResult(summary=empty_summary(), outcomes=outcomes, created_cart=created)
    change = commit_change(
        cart=cart,
        lines=lines,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.SHARED_CART_ADDED,
        change={
            "operation": "shared_cart_add",
            "shared_cart_id": shared.pk,
            "kind": shared.kind,
            "lines": changes,
            "capped": [_outcome_payload(o) for o in result.capped],
            "left_out": [_outcome_payload(o) for o in result.left_out],
        },
        message=result.message,
        created=created,
    )
    return replace(result, summary=change.summary)


def _outcome_payload(outcome: SharedLineOutcome) -> dict:
    return {
        "variant_id": outcome.variant_id,
        "requested": outcome.requested,
        "added": outcome.added,
        "reason": outcome.reason,
    }


def shared_carts_expire(*, shared_cart_ids: Iterable[int]) -> int:
    """End the links of these shared carts now (staff withdrawing them); returns how many
    still worked."""
    now = timezone.now()
    return SharedCart.objects.filter(pk__in=list(shared_cart_ids), expires_at__gt=now).update(
        expires_at=now
    )


def shared_carts_purge_expired() -> int:
    """Delete shared carts whose link has expired (their events stay); returns how many."""
    deleted = SharedCart.objects.filter(expires_at__lte=timezone.now()).delete()[1]
    return deleted.get(SharedCart._meta.label, 0)


__all__ = [
    "REASONS",
    "SharedCartAddResult",
    "SharedCartItem",
    "SharedCartLink",
    "SharedCartView",
    "SharedLineOutcome",
    "cart_share",
    "shared_cart_add_to_cart",
    "shared_cart_create_assisted",
    "shared_cart_get",
    "shared_cart_open",
    "shared_cart_path",
    "shared_cart_read",
    "shared_carts_expire",
    "shared_carts_purge_expired",
]

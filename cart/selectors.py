"""Reads of carts: which cart a shopper has, and the one CartSummary every view shows."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cart.models import Cart, CartLine, SavedItem, WishlistItem
from catalog.models import variant_display_name, variant_label
from catalog.selectors import first_image_expression
from inventory.availability import only_left_message, purchase_permitted, stock_status
from inventory.selectors import available_stock_expression
from shop.money import ZERO, format_money, totals_for


@dataclass(frozen=True)
class CartOwner:
    """Who is asking: a logged-in user, or a guest holding a cart token (maybe none yet)."""

    user: object | None = None
    token: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None


@dataclass(frozen=True)
class LineIssue:
    type: str  # out_of_stock | insufficient_stock | price_changed | unavailable
    message: str
    available_quantity: int
    blocking: bool


@dataclass(frozen=True)
class CartIssue:
    """One problem with one line, as the API's validate answer and a refused checkout report it."""

    line_id: int
    issue_type: str
    message: str
    available_quantity: int


@dataclass(frozen=True)
class CartLineSummary:
    id: int
    variant_id: int | None
    product_id: int | None
    sku: str
    product_name: str
    variant_name: str
    product_slug: str
    category_name: str
    image_url: str
    quantity: int
    unit_price: Decimal
    current_price: Decimal
    line_total: Decimal
    available_stock: int
    is_available: bool
    stock_label: str
    issues: tuple[LineIssue, ...]
    # What the shopper said about the item: {key: value}, and [{key, label, value}] to show.
    properties: dict = field(default_factory=dict)
    properties_display: tuple[dict, ...] = ()
    # The variant's facts checkout prices by: sent by post (shipping), taxed when sold.
    requires_shipping: bool = True
    taxable: bool = True

    @property
    def variant_display_name(self) -> str:
        """The variant's name in the active language (the default variant's is translated)."""
        return variant_display_name(self.variant_name)

    @property
    def price_changed(self) -> bool:
        return self.is_available and self.unit_price != self.current_price

    @property
    def blocking_issue(self) -> LineIssue | None:
        return next((issue for issue in self.issues if issue.blocking), None)

    @property
    def refusal_message(self) -> str:
        """What a refused raise of this line tells the shopper."""
        if self.blocking_issue and self.blocking_issue.type != "insufficient_stock":
            return self.blocking_issue.message
        return only_left_message(self.available_stock)

    @property
    def variant_label(self) -> str:
        """The variant's name to show beside the product's; empty for a single, default variant."""
        return variant_label(self.variant_name)

    @property
    def can_decrease(self) -> bool:
        return self.quantity > 1

    @property
    def product_url(self) -> str:
        return f"/products/{self.product_slug}/" if self.product_slug else ""


@dataclass(frozen=True)
class CartSummary:
    """Everything a shopper sees of a cart; the mini cart, the cart page and the API read it."""

    cart_id: int | None
    token: str | None
    currency: str
    version: int
    updated_at: datetime | None
    lines: tuple[CartLineSummary, ...]
    subtotal: Decimal
    discount_total: Decimal
    estimated_tax: Decimal
    total: Decimal
    total_items: int
    is_owned_by_user: bool = False
    note: str = ""
    # The owner's saved items, when the caller asked for them (`with_saved_items`): never
    # in the totals.
    saved_items: tuple["KeptItem", ...] = ()

    @property
    def exists(self) -> bool:
        return self.cart_id is not None

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def issues(self) -> list[tuple[CartLineSummary, LineIssue]]:
        return [(line, issue) for line in self.lines for issue in line.issues]

    def issue_reports(self, *, blocking_only: bool = False) -> list[CartIssue]:
        """The lines' issues as reports (only those that block checkout, when asked)."""
        return [
            CartIssue(
                line_id=line.id,
                issue_type=issue.type,
                message=issue.message,
                available_quantity=issue.available_quantity,
            )
            for line, issue in self.issues
            if issue.blocking or not blocking_only
        ]

    @property
    def is_valid(self) -> bool:
        """A cart may go to checkout: it has lines and none of them blocks."""
        return bool(self.lines) and not any(line.blocking_issue for line in self.lines)

    @property
    def mini_lines(self) -> tuple[CartLineSummary, ...]:
        """The lines the mini cart shows: the newest first (the cart page keeps the order added)."""
        return tuple(reversed(self.lines))[: settings.MINI_CART_LINES]

    @property
    def more_lines(self) -> int:
        return max(0, len(self.lines) - settings.MINI_CART_LINES)

    def line(self, line_id: int) -> CartLineSummary | None:
        return next((line for line in self.lines if line.id == line_id), None)


def empty_summary() -> CartSummary:
    """The summary of a shopper who has no cart yet: reading never creates one."""
    totals = totals_for(subtotal=ZERO)
    return CartSummary(
        cart_id=None,
        token=None,
        currency=settings.SHOP_CURRENCY,
        version=0,
        updated_at=None,
        lines=(),
        subtotal=totals.subtotal,
        discount_total=totals.discount_total,
        estimated_tax=totals.estimated_tax,
        total=totals.total,
        total_items=0,
    )


def open_cart_queryset(owner: CartOwner) -> QuerySet[Cart]:
    """The owner's open cart, as a queryset: a user's own, or the guest cart with that token."""
    carts = Cart.objects.filter(status=Cart.Status.OPEN)
    if owner.user is not None:
        return carts.filter(user=owner.user)
    if owner.token:
        return carts.filter(token=owner.token, user__isnull=True)
    return carts.none()


def cart_get(*, owner: CartOwner) -> Cart | None:
    """Return the owner's open cart, or None; an unknown or stale token simply finds nothing."""
    if owner.user is None and not owner.token:
        return None
    return open_cart_queryset(owner).first()


def cart_lines_queryset() -> QuerySet[CartLine]:
    """Lines with all a summary needs (variant, product, category, availability, image) in one
    query. Availability leaves out what the cart's own open checkout holds."""
    return (
        CartLine.objects.select_related("variant__product__category")
        .annotate(
            available_stock=available_stock_expression("variant__", cart_ref="cart_id"),
            image=first_image_expression("variant__product_id"),
        )
        .order_by("added_at", "id")
    )


def cart_load_lines(cart: Cart) -> list[CartLine]:
    """Load a cart's lines for `cart_summary_build`."""
    return list(cart_lines_queryset().filter(cart=cart))


def _media_url(name: str | None) -> str:
    return f"{settings.MEDIA_URL}{name}" if name else ""


def _line_summary(line: CartLine, variant_total: int) -> CartLineSummary:
    """Summarise a line; `variant_total` is what all the cart's lines of its variant hold
    together, which is what stock must cover."""
    variant = line.variant
    available = max(0, line.available_stock or 0) if variant is not None else 0
    _allowed, refusal = purchase_permitted(
        variant=variant, available=available, quantity=max(line.quantity, variant_total)
    )
    issues: list[LineIssue] = []
    if refusal is not None:
        issues.append(LineIssue(refusal.code, refusal.message, refusal.available, blocking=True))
    is_available = refusal is None or refusal.code == "insufficient_stock"
    current_price = variant.price if variant is not None else line.unit_price
    if is_available and current_price != line.unit_price:
        issues.append(
            LineIssue(
                "price_changed",
                _("The price changed from %(old)s to %(new)s.")
                % {"old": format_money(line.unit_price), "new": format_money(current_price)},
                available,
                blocking=False,
            )
        )
    product = variant.product if variant is not None else None
    return CartLineSummary(
        id=line.pk,
        variant_id=line.variant_id,
        product_id=product.pk if product else None,
        sku=line.sku,
        product_name=product.name if product else line.product_name,
        variant_name=variant.name if variant is not None else line.variant_name,
        product_slug=product.slug if product else "",
        category_name=product.category.name if product and product.category else "",
        image_url=_media_url(getattr(line, "image", None)),
        quantity=line.quantity,
        unit_price=line.unit_price,
        current_price=current_price,
        line_total=current_price * line.quantity if is_available else ZERO,
        available_stock=available,
        is_available=is_available,
        stock_label=stock_status(variant=variant, available=available).label
        if variant is not None
        else _("No longer available"),
        issues=tuple(issues),
        properties=dict(line.properties or {}),
        properties_display=tuple(line.properties_display or ()),
        requires_shipping=variant.requires_shipping if variant is not None else True,
        taxable=variant.taxable if variant is not None else True,
    )


def untaxed_total(lines) -> Decimal:
    """What of these lines is not taxed when sold (gift cards)."""
    return sum((line.line_total for line in lines if not line.taxable), ZERO)


def cart_summary_build(*, cart: Cart, lines: list[CartLine]) -> CartSummary:
    """Summarise a cart from lines loaded by `cart_load_lines`: the one place totals are made.

    Lines that can no longer be bought stay in the cart, flagged, and count for nothing.
    """
    totals: dict[int | None, int] = {}
    for line in lines:
        totals[line.variant_id] = totals.get(line.variant_id, 0) + line.quantity
    line_summaries = tuple(_line_summary(line, totals[line.variant_id]) for line in lines)
    subtotal = sum((line.line_total for line in line_summaries), ZERO)
    totals = totals_for(subtotal=subtotal, untaxed=untaxed_total(line_summaries))
    return CartSummary(
        cart_id=cart.pk,
        token=cart.token,
        currency=cart.currency,
        version=cart.version,
        updated_at=cart.updated_at,
        lines=line_summaries,
        subtotal=totals.subtotal,
        discount_total=totals.discount_total,
        estimated_tax=totals.estimated_tax,
        total=totals.total,
        total_items=sum(line.quantity for line in line_summaries),
        is_owned_by_user=cart.user_id is not None,
        note=cart.note,
    )


def cart_item_count(*, owner: CartOwner) -> int:
    """How many items the owner's open cart holds, for the header badge: one small query."""
    if owner.user is None and not owner.token:
        return 0
    lines = CartLine.objects.filter(cart__in=open_cart_queryset(owner))
    return lines.aggregate(count=Sum("quantity"))["count"] or 0


def cart_summary(*, owner: CartOwner) -> CartSummary:
    """Summarise the owner's open cart, or an empty one when there is none."""
    cart = cart_get(owner=owner)
    if cart is None:
        return empty_summary()
    return cart_summary_build(cart=cart, lines=cart_load_lines(cart))


# --- Saved for later and the wishlist (issue 15, points 1, 2) ------------------------------


@dataclass(frozen=True)
class KeptItem:
    """A saved item or a wishlist item as the shopper sees it: the variant at today's price
    and stock, flagged when it can no longer be bought."""

    id: int
    variant_id: int | None
    product_id: int | None
    product_name: str
    variant_name: str
    product_slug: str
    image_url: str
    current_price: Decimal | None
    available_stock: int
    is_available: bool
    stock_code: str  # in_stock | low_stock | out_of_stock | unavailable
    stock_label: str
    quantity: int = 1
    properties: dict = field(default_factory=dict)
    properties_display: tuple[dict, ...] = ()

    @property
    def variant_display_name(self) -> str:
        return variant_display_name(self.variant_name)

    @property
    def variant_label(self) -> str:
        return variant_label(self.variant_name)

    @property
    def product_url(self) -> str:
        return f"/products/{self.product_slug}/" if self.product_slug else ""


def kept_owner_filter(owner: CartOwner) -> Q | None:
    """Whose saved and wishlist items: a shopper's own, or those on the guest's open cart;
    None when a guest has no cart (and so nothing kept)."""
    if owner.user is not None:
        return Q(user=owner.user)
    if owner.token:
        return Q(cart__token=owner.token, cart__status=Cart.Status.OPEN, cart__user__isnull=True)
    return None


def _kept_queryset(model, owner: CartOwner) -> QuerySet:
    where = kept_owner_filter(owner)
    if where is None:
        return model.objects.none()
    return (
        model.objects.filter(where)
        .select_related("variant__product")
        .annotate(
            available_stock=available_stock_expression("variant__"),
            image=first_image_expression("variant__product_id"),
        )
    )


def _kept_item(item, *, quantity: int = 1, names=None, properties=None) -> KeptItem:
    variant = item.variant
    product = variant.product if variant is not None else None
    available = max(0, item.available_stock or 0) if variant is not None else 0
    if variant is None:
        code, label = "unavailable", _("No longer available")
    else:
        status = stock_status(variant=variant, available=available)
        code, label = status.code, status.label
    product_name, variant_name = names or ("", "")
    return KeptItem(
        id=item.pk,
        variant_id=item.variant_id,
        product_id=product.pk if product else None,
        product_name=product.name if product else product_name,
        variant_name=variant.name if variant is not None else variant_name,
        product_slug=product.slug if product and code != "unavailable" else "",
        image_url=_media_url(getattr(item, "image", None)),
        current_price=variant.price if variant is not None else None,
        available_stock=available,
        is_available=code in {"in_stock", "low_stock"},
        stock_code=code,
        stock_label=label,
        quantity=quantity,
        properties=dict(properties[0] or {}) if properties else {},
        properties_display=tuple(properties[1] or ()) if properties else (),
    )


def saved_item_list(*, owner: CartOwner) -> tuple[KeptItem, ...]:
    """The owner's saved items, newest first, at today's prices and stock: one query."""
    return tuple(
        _kept_item(
            item,
            quantity=item.quantity,
            names=(item.product_name, item.variant_name),
            properties=(item.properties, item.properties_display),
        )
        for item in _kept_queryset(SavedItem, owner)
    )


def with_saved_items(summary: CartSummary, *, user=None) -> CartSummary:
    """The summary with the owner's saved items: a user's, or the summary's guest cart's."""
    owner = CartOwner(user=user) if user is not None else CartOwner(token=summary.token)
    return replace(summary, saved_items=saved_item_list(owner=owner))


def wishlist_list(*, owner: CartOwner) -> tuple[KeptItem, ...]:
    """The owner's wishlist, newest first, at today's prices and stock: one query."""
    return tuple(_kept_item(item) for item in _kept_queryset(WishlistItem, owner))


def wishlist_count(*, owner: CartOwner) -> int:
    """How many items the owner's wishlist holds, for the header: one small query."""
    where = kept_owner_filter(owner)
    return WishlistItem.objects.filter(where).count() if where is not None else 0


def wishlist_variant_ids(*, owner: CartOwner) -> frozenset[int]:
    """The variants on the owner's wishlist, to show each heart pressed or not."""
    where = kept_owner_filter(owner)
    if where is None:
        return frozenset()
    return frozenset(WishlistItem.objects.filter(where).values_list("variant_id", flat=True))

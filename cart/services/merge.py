"""Merging a guest cart into a shopper's at login (a receiver of `user_logged_in`, see
cart/receivers.py), by the API's merge endpoint, or by a recovery link."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cart.exceptions import CartNotFoundError
from cart.locks import lock_carts
from cart.models import NOTE_MAX_LENGTH, Cart, CartEvent, CartLine
from cart.selectors import CartOwner, CartSummary, cart_get, cart_load_lines, cart_summary_build
from cart.services.events import cart_event_record
from cart.services.lines import (
    announce_change,
    commit_change,
    lock_open_cart,
    set_line_quantity,
    variant_totals,
)
from cart.services.saved import kept_items_merge
from catalog.exceptions import LinePropertyError
from catalog.models import variant_display_name
from catalog.properties import line_properties_clean
from catalog.selectors import is_sellable, line_fields_by_product
from shop.metrics import CART_OPERATIONS, counted


@dataclass(frozen=True)
class CappedLine:
    name: str
    requested: int
    kept: int
    by_stock: bool  # else by the line maximum


@dataclass(frozen=True)
class MergeResult:
    """What merging a guest cart at login did, to tell the shopper."""

    summary: CartSummary | None = None
    joined: list[str] = field(default_factory=list)
    capped: list[CappedLine] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    # Saved items and wishlist items that came with the guest cart, and what found no room.
    saved_moved: int = 0
    wishlist_moved: int = 0
    kept_left_out: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.summary is not None or bool(
            self.saved_moved or self.wishlist_moved or self.kept_left_out
        )

    @property
    def message(self) -> str:
        parts = []
        if self.joined:
            parts.append(
                _("Your guest cart was added to your cart: %(items)s.")
                % {"items": ", ".join(self.joined)}
            )
        for capped in self.capped:
            if capped.by_stock:
                note = _("%(name)s: only %(kept)d left in stock. Quantity adjusted.")
            else:
                note = _("%(name)s: at most %(kept)d of one item. Quantity adjusted.")
            parts.append(note % {"name": capped.name, "kept": capped.kept})
        if self.dropped:
            parts.append(
                _("Not moved, no longer available or no room: %(items)s.")
                % {"items": ", ".join(self.dropped)}
            )
        if self.saved_moved:
            parts.append(
                ngettext(
                    "%(n)d saved item joined your saved items.",
                    "%(n)d saved items joined your saved items.",
                    self.saved_moved,
                )
                % {"n": self.saved_moved}
            )
        if self.wishlist_moved:
            parts.append(
                ngettext(
                    "%(n)d item joined your wishlist.",
                    "%(n)d items joined your wishlist.",
                    self.wishlist_moved,
                )
                % {"n": self.wishlist_moved}
            )
        if self.kept_left_out:
            parts.append(
                _("No room to keep: %(items)s.") % {"items": ", ".join(self.kept_left_out)}
            )
        return " ".join(parts)


@counted(CART_OPERATIONS, "merge")
@transaction.atomic
def cart_merge(
    *, user, guest_token: str | None, source: str, missing_ok: bool = True
) -> MergeResult:
    """Move a guest cart's lines into the user's open cart, as at login.

    The same variant with the same properties sums, capped by available stock and the line
    maximum (both counting every line of the variant); other properties make another line.
    A line whose properties no longer fit the product's line fields, or that no longer
    fits, is reported and left out. A guest note joins the user's. The guest cart becomes
    merged and a cart_merged event is written. An empty guest cart changes nothing; so
    does an unknown token, unless `missing_ok` is False, when it raises CartNotFoundError.
    """
    guest_owner = CartOwner(token=guest_token)
    user_owner = CartOwner(user=user)
    guest = cart_get(owner=guest_owner) if guest_token else None
    if guest is None:
        if not missing_ok:
            raise CartNotFoundError()
        return MergeResult()
    existing_user_cart = cart_get(owner=user_owner)
    locked = {
        cart.pk: cart
        for cart in lock_carts(
            [guest.pk] + ([existing_user_cart.pk] if existing_user_cart else [])
        )
    }
    guest = locked[guest.pk]
    if guest.status != Cart.Status.OPEN:  # merged by a concurrent login
        return MergeResult()
    # Saved items and the wishlist go to the user, whatever the guest cart holds.
    saved_moved, wishlist_moved, kept_left_out = kept_items_merge(guest=guest, user=user)
    kept_report = {
        "saved_moved": saved_moved,
        "wishlist_moved": wishlist_moved,
        "kept_left_out": kept_left_out,
    }
    guest_lines = cart_load_lines(guest)
    if not guest_lines:
        return MergeResult(**kept_report)
    user_cart = locked.get(existing_user_cart.pk) if existing_user_cart is not None else None
    if user_cart is None or user_cart.status != Cart.Status.OPEN:  # none, or paid meanwhile
        user_cart, _created = lock_open_cart(user_owner, create=True)
    user_lines = cart_load_lines(user_cart)
    by_key = {(line.variant_id, line.properties_key): line for line in user_lines}
    held = variant_totals(user_lines)
    fields = line_fields_by_product(
        line.variant.product_id for line in guest_lines if line.variant is not None
    )
    joined: list[str] = []
    capped: list[CappedLine] = []
    dropped: list[str] = []
    changed = False
    for guest_line in guest_lines:
        name = f"{guest_line.product_name} ({variant_display_name(guest_line.variant_name)})"
        variant = guest_line.variant
        if variant is None or not is_sellable(variant):
            dropped.append(name)
            continue
        try:
            properties = line_properties_clean(
                fields=fields[variant.product_id], properties=guest_line.properties
            )
        except LinePropertyError:  # staff changed the product's line fields since
            dropped.append(name)
            continue
        available = max(0, guest_line.available_stock or 0)
        cap = settings.CART_MAX_LINE_QUANTITY
        if available > 0:
            cap = min(cap, available)
        # What the user's other lines of this variant leave of the cap.
        room = max(0, cap - held.get(variant.pk, 0))
        mine = by_key.get((variant.pk, properties.key))
        if mine is not None:
            wanted = mine.quantity + guest_line.quantity
            kept = mine.quantity + min(guest_line.quantity, room)
            if kept != mine.quantity:
                set_line_quantity(mine, kept)
                changed = True
            joined.append(name)
        else:
            if len(user_lines) >= settings.CART_MAX_LINES or room == 0:
                dropped.append(name)
                continue
            wanted = guest_line.quantity
            kept = min(wanted, room)
            CartLine.objects.filter(pk=guest_line.pk).update(
                cart=user_cart,
                quantity=kept,
                properties=properties.values,
                properties_key=properties.key,
                properties_display=list(properties.display),
            )
            guest_line.cart = user_cart
            guest_line.quantity = kept
            guest_line.properties = properties.values
            guest_line.properties_key = properties.key
            guest_line.properties_display = list(properties.display)
            user_lines.append(guest_line)
            by_key[(variant.pk, properties.key)] = guest_line
            changed = True
            joined.append(name)
        held[variant.pk] = held.get(variant.pk, 0) + kept - (wanted - guest_line.quantity)
        if kept < wanted:
            by_stock = 0 < available < settings.CART_MAX_LINE_QUANTITY and cap == available
            capped.append(CappedLine(name=name, requested=wanted, kept=kept, by_stock=by_stock))
    note = _merged_note(user_cart.note, guest.note)
    note_changed = note != user_cart.note
    if note_changed:
        user_cart.note = note
    guest.status = Cart.Status.MERGED
    announce_change(guest, extra_fields=("status",))
    user_lines.sort(key=lambda line: (line.added_at, line.pk))
    merged = {
        "guest_cart_id": guest.pk,
        "joined": joined,
        "capped": [c.__dict__ for c in capped],
        "dropped": dropped,
        **kept_report,
    }
    if changed or note_changed:
        summary = commit_change(
            cart=user_cart,
            lines=user_lines,
            owner=user_owner,
            source=source,
            event_type=CartEvent.Type.CART_MERGED,
            change=merged,
            message="",
            extra_fields=("note",) if note_changed else (),
        ).summary
    else:  # the user's cart, and any checkout of it, stays as it was
        summary = cart_summary_build(cart=user_cart, lines=user_lines)
        cart_event_record(
            event_type=CartEvent.Type.CART_MERGED,
            summary=summary,
            user=user,
            source=source,
            change=merged,
        )
    return MergeResult(
        summary=summary, joined=joined, capped=capped, dropped=dropped, **kept_report
    )


def _merged_note(mine: str, guest: str) -> str:
    """The user's note after a merge: the guest's joins it (the guest's alone when both do
    not fit together, as the one typed last)."""
    if not guest or guest == mine:
        return mine
    if not mine:
        return guest
    joined = f"{mine}\n\n{guest}"
    return joined if len(joined) <= NOTE_MAX_LENGTH else guest

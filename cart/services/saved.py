"""Saved for later: a cart line moved out of the cart and back (issue 15, point 1).

Saved items are never in the totals and never reserved. Saving and moving back are cart
changes: they lock the cart, move its version on and tell the floors above through
`announce_change` (ending an open checkout), and write line_saved / line_restored. Moving
back is an add through the one add rule (stock, line maximum, price), so a refusal changes
nothing and says why.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils.translation import gettext as _

from cart.exceptions import SavedItemNotFoundError, SavedItemsFullError
from cart.models import WISHLIST_MAX_ITEMS, Cart, CartEvent, SavedItem, WishlistItem
from cart.selectors import (
    CartOwner,
    cart_load_lines,
    cart_summary_build,
    empty_summary,
    kept_owner_filter,
)
from cart.services.lines import (
    CartChange,
    LineRequest,
    _add,
    _check_purchase,
    _check_version,
    _locked_line,
    announce_change,
    commit_change,
    lock_open_cart,
)
from shop.metrics import CART_OPERATIONS, counted


def kept_owner(cart: Cart) -> dict:
    """Who owns what is kept beside this cart: its user, else the guest cart itself."""
    return {"user_id": cart.user_id} if cart.user_id else {"cart": cart}


def _saved_of(owner: CartOwner):
    where = kept_owner_filter(owner)
    return SavedItem.objects.none() if where is None else SavedItem.objects.filter(where)


@counted(CART_OPERATIONS, "save_for_later")
@transaction.atomic
def cart_line_save(
    *, owner: CartOwner, line_id: int, source: str, expected_version: int | None = None
) -> CartChange:
    """Move a cart line into the owner's saved items, with its quantity and properties; an
    item already saved for the same variant and properties takes its quantity (up to the
    line maximum).

    Raises LineNotFoundError, SavedItemsFullError (CART_MAX_LINES), CartVersionMismatchError.
    """
    cart, lines, line = _locked_line(owner, line_id)
    _check_version(cart, expected_version)
    mine = SavedItem.objects.filter(**kept_owner(cart))
    same = mine.filter(variant_id=line.variant_id, properties_key=line.properties_key)
    if line.variant_id is None or not same.update(
        quantity=Least(F("quantity") + line.quantity, settings.CART_MAX_LINE_QUANTITY)
    ):
        if mine.count() >= settings.CART_MAX_LINES:
            raise SavedItemsFullError(settings.CART_MAX_LINES)
        SavedItem.objects.create(
            **kept_owner(cart),
            variant_id=line.variant_id,
            quantity=line.quantity,
            properties=line.properties,
            properties_key=line.properties_key,
            properties_display=line.properties_display,
            sku=line.sku,
            product_name=line.product_name,
            variant_name=line.variant_name,
        )
    lines.remove(line)
    line.delete()
    return commit_change(
        cart=cart,
        lines=lines,
        owner=owner,
        source=source,
        event_type=CartEvent.Type.LINE_SAVED,
        change={
            "line_id": line_id,
            "variant_id": line.variant_id,
            "sku": line.sku,
            "quantity": line.quantity,
        },
        message=_("Saved %(name)s for later.") % {"name": line.product_name},
        line_id=line_id,
    )


@counted(CART_OPERATIONS, "move_to_cart")
@transaction.atomic
def saved_item_move_to_cart(
    *, owner: CartOwner, saved_id: int, source: str, expected_version: int | None = None
) -> CartChange:
    """Move a saved item back into the cart: an add of its quantity and properties, under
    every rule an add follows. The item leaves the saved items only when the add succeeds.

    Raises SavedItemNotFoundError, PurchaseRefusedError (also for a variant no longer
    sold), QuantityAboveMaximumError, LinePropertyError, CartFullError,
    CartVersionMismatchError; on any of them nothing changes.
    """
    item = _saved_of(owner).filter(pk=saved_id).first()
    if item is None:
        raise SavedItemNotFoundError()
    if item.variant_id is None:  # deleted from the catalog: it stays, flagged
        _check_purchase(None, 0, item.quantity)
    change = _add(
        owner=owner,
        requests=[LineRequest(item.variant_id, item.quantity, item.properties)],
        source=source,
        expected_version=expected_version,
        operation="restore",
        event_type=CartEvent.Type.LINE_RESTORED,
        message=_("Moved %(name)s to your cart.") % {"name": item.product_name},
    )
    # After the cart's lock (carts come first): a concurrent move of the same item loses.
    if not SavedItem.objects.filter(pk=item.pk).delete()[0]:
        raise SavedItemNotFoundError()
    return change


@counted(CART_OPERATIONS, "remove_saved")
@transaction.atomic
def saved_item_remove(
    *, owner: CartOwner, saved_id: int, source: str, expected_version: int | None = None
) -> CartChange:
    """Delete one of the owner's saved items. The cart's lines stay as they are; its version
    moves on (the Cart the API answers shows its saved items).

    Raises SavedItemNotFoundError, CartVersionMismatchError.
    """
    cart, _created = lock_open_cart(owner, create=False)
    _check_version(cart, expected_version)
    item = _saved_of(owner).filter(pk=saved_id).first()
    if item is None:
        raise SavedItemNotFoundError()
    item.delete()
    message = _("Removed %(name)s from your saved items.") % {"name": item.product_name}
    if cart is None:
        return CartChange(summary=empty_summary(), message=message)
    announce_change(cart)
    return CartChange(
        summary=cart_summary_build(cart=cart, lines=cart_load_lines(cart)), message=message
    )


def kept_items_merge(*, guest: Cart, user) -> tuple[int, int, list[str]]:
    """Move a (locked) guest cart's saved and wishlist items to the user, inside a merge.

    One saved item per variant and properties (quantities sum, up to the line maximum), one
    wishlist item per variant; what finds no room under the limits is left out and named.
    Returns (saved items moved, wishlist items moved, names left out)."""
    left_out: list[str] = []
    saved_moved = 0
    mine = SavedItem.objects.filter(user=user)
    room = settings.CART_MAX_LINES - mine.count()
    for item in SavedItem.objects.filter(cart=guest).order_by("saved_at", "id"):
        same = mine.filter(variant_id=item.variant_id, properties_key=item.properties_key)
        if item.variant_id is not None and same.update(
            quantity=Least(F("quantity") + item.quantity, settings.CART_MAX_LINE_QUANTITY)
        ):
            item.delete()
        elif room > 0:
            SavedItem.objects.filter(pk=item.pk).update(cart=None, user=user)
            room -= 1
        else:
            left_out.append(item.product_name)
            continue
        saved_moved += 1
    wished_moved = 0
    wished = WishlistItem.objects.filter(user=user)
    have = set(wished.values_list("variant_id", flat=True))
    room = WISHLIST_MAX_ITEMS - len(have)
    for item in WishlistItem.objects.filter(cart=guest).select_related("variant__product"):
        if item.variant_id in have:
            item.delete()  # already on the wishlist: nothing joined it
            continue
        if room > 0:
            WishlistItem.objects.filter(pk=item.pk).update(cart=None, user=user)
            room -= 1
        else:
            left_out.append(item.variant.product.name)
            continue
        wished_moved += 1
    return saved_moved, wished_moved, left_out


def kept_items_forget(*, cart_ids: list[int]) -> int:
    """Delete what guests kept beside these carts (expired with them): saved items and
    wishlists. Returns how many items went."""
    saved = SavedItem.objects.filter(cart_id__in=cart_ids).delete()[0]
    wished = WishlistItem.objects.filter(cart_id__in=cart_ids).delete()[0]
    return saved + wished

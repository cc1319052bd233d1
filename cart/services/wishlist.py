"""The wishlist: variants an owner wants to remember (issue 15, point 2).

A shopper's wishlist belongs to the user and never expires; a guest's is kept on the guest
cart (made by the first wish, like by a first add) and goes when that cart expires. It is not
part of the cart: changing it moves no cart version and ends no checkout. Moving an item to
the cart is an add through the one add rule, and the item stays on the wishlist.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cart.exceptions import WishlistFullError, WishlistItemNotFoundError
from cart.models import WISHLIST_MAX_ITEMS, Cart, WishlistItem
from cart.selectors import CartOwner, kept_owner_filter, wishlist_count
from cart.services.lines import CartChange, _shoppable_variants, cart_add_line, lock_open_cart
from shop.metrics import CART_OPERATIONS, counted


@dataclass(frozen=True)
class WishlistChange:
    """What a wishlist change did: whether the variant is on it now, and for a guest the
    cart token that names the wishlist (new when this change made the cart)."""

    variant_id: int
    on_wishlist: bool
    item_id: int | None
    created: bool
    count: int
    message: str
    product_name: str = ""
    token: str | None = None
    cart_id: int | None = None
    created_cart: bool = False


def _owner_items(owner: CartOwner):
    where = kept_owner_filter(owner)
    return WishlistItem.objects.none() if where is None else WishlistItem.objects.filter(where)


def _touch(cart: Cart) -> None:
    """A guest's wishlist lives as long as their cart: using it keeps the cart alive."""
    Cart.objects.filter(pk=cart.pk).update(last_activity_at=timezone.now())


@counted(CART_OPERATIONS, "wishlist_add")
@transaction.atomic
def wishlist_add(*, owner: CartOwner, variant_id: int, source: str) -> WishlistChange:
    """Put a variant on the owner's wishlist; again changes nothing (`created` False). Sold
    out variants may be wished for; a guest's first wish makes their cart.

    Raises VariantNotFoundError, WishlistFullError (WISHLIST_MAX_ITEMS).
    """
    variant = _shoppable_variants([variant_id])[variant_id]
    cart, created_cart = (None, False)
    if owner.user is None:
        cart, created_cart = lock_open_cart(owner, create=True)
        _touch(cart)
        where = {"cart": cart}
    else:
        where = {"user": owner.user}
    existing = WishlistItem.objects.filter(**where, variant=variant).first()
    created = existing is None
    if created:
        if WishlistItem.objects.filter(**where).count() >= WISHLIST_MAX_ITEMS:
            raise WishlistFullError(WISHLIST_MAX_ITEMS)
        try:
            with transaction.atomic():
                existing = WishlistItem.objects.create(**where, variant=variant)
        except IntegrityError:  # the same wish, sent twice at once
            existing = WishlistItem.objects.get(**where, variant=variant)
            created = False
    return WishlistChange(
        variant_id=variant.pk,
        on_wishlist=True,
        item_id=existing.pk,
        created=created,
        count=WishlistItem.objects.filter(**where).count(),
        message=_("Added %(name)s to your wishlist.") % {"name": variant.product.name},
        product_name=variant.product.name,
        token=cart.token if cart is not None else None,
        cart_id=cart.pk if cart is not None else None,
        created_cart=created_cart,
    )


@counted(CART_OPERATIONS, "wishlist_remove")
@transaction.atomic
def wishlist_remove(
    *, owner: CartOwner, item_id: int | None = None, variant_id: int | None = None
) -> WishlistChange:
    """Take an item (by its id, or by its variant) off the owner's wishlist.

    Raises WishlistItemNotFoundError.
    """
    items = _owner_items(owner)
    lookup = {"pk": item_id} if item_id is not None else {"variant_id": variant_id}
    item = items.select_related("variant__product", "cart").filter(**lookup).first()
    if item is None:
        raise WishlistItemNotFoundError()
    item.delete()
    if item.cart is not None:
        _touch(item.cart)
    return WishlistChange(
        variant_id=item.variant_id,
        on_wishlist=False,
        item_id=None,
        created=False,
        count=wishlist_count(owner=owner),
        message=_("Removed %(name)s from your wishlist.") % {"name": item.variant.product.name},
        product_name=item.variant.product.name,
        token=owner.token,
    )


def wishlist_toggle(*, owner: CartOwner, variant_id: int, source: str) -> WishlistChange:
    """The heart: take the variant off the wishlist when it is on it, else put it on.

    Raises what `wishlist_add` raises.
    """
    if _owner_items(owner).filter(variant_id=variant_id).exists():
        try:
            return wishlist_remove(owner=owner, variant_id=variant_id)
        except WishlistItemNotFoundError:  # removed meanwhile: the heart asked to change it
            pass
    return wishlist_add(owner=owner, variant_id=variant_id, source=source)


def wishlist_move_to_cart(*, owner: CartOwner, item_id: int, source: str) -> CartChange:
    """Add one of a wishlist item's variant to the cart; the item stays on the wishlist.

    Raises WishlistItemNotFoundError and what `cart_add_line` raises (nothing changes then).
    """
    item = _owner_items(owner).filter(pk=item_id).first()
    if item is None:
        raise WishlistItemNotFoundError()
    return cart_add_line(owner=owner, variant_id=item.variant_id, quantity=1, source=source)

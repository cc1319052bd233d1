"""Live cart updates: every change to a cart reaches its owner's open pages and API streams.

A cart owner's events go on one channel: a shopper's is named by their user id, a guest's by
a digest of their cart token (never the token itself, which stays a secret). Each event is
`{version, total_items}` of the owner's open cart as it stands after the change committed;
pages take it as a cue to fetch their cart partials again (shop/live.py carries it).
"""

import hashlib

from django.db import transaction
from django.db.models import Sum

from cart.models import Cart, CartLine
from shop.live import live_publish

EVENT = "cart"


def cart_live_channel(*, user_id: int | None = None, token: str | None = None) -> str | None:
    """The channel of a shopper (by user id) or of a guest (by cart token); None for a guest
    without a cart yet."""
    if user_id is not None:
        return f"cart:u{user_id}"
    if token:
        return "cart:g" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return None


def _owner_state(*, user_id: int | None, token: str, version: int) -> dict:
    carts = Cart.objects.filter(status=Cart.Status.OPEN)
    carts = carts.filter(user_id=user_id) if user_id else carts.filter(token=token, user=None)
    cart = carts.annotate(items=Sum("lines__quantity")).values("version", "items").first()
    if cart is None:
        return {"version": version, "total_items": 0}
    return {"version": cart["version"], "total_items": cart["items"] or 0}


def cart_live_announce(*, cart: Cart) -> None:
    """Tell the cart owner's open streams, once the current transaction commits, that their
    cart changed (lines, a merge, a checkout starting or ending, an order, an expiry)."""
    user_id, token, version = cart.user_id, cart.token, cart.version

    def publish() -> None:
        channel = cart_live_channel(user_id=user_id, token=token)
        state = _owner_state(user_id=user_id, token=token, version=version)
        live_publish(channel=channel, data=state)

    transaction.on_commit(publish, robust=True)


def carts_live_announce(*, cart_ids: list[int]) -> None:
    """Tell the owners of these carts (say, their checkout ended), after the commit."""
    for cart in Cart.objects.filter(pk__in=cart_ids).only("pk", "user_id", "token", "version"):
        cart_live_announce(cart=cart)


def carts_live_announce_expired(*, carts: list[tuple[int | None, str, int]]) -> None:
    """Tell the owners of carts that just expired, as (user id, token, version): nothing is
    left in them to show, so no query is needed however many expire. After the commit."""

    def publish() -> None:
        for user_id, token, version in carts:
            live_publish(
                channel=cart_live_channel(user_id=user_id, token=token),
                data={"version": version, "total_items": 0},
            )

    transaction.on_commit(publish, robust=True)


def carts_live_announce_variant(*, variant_id: int) -> None:
    """Tell the owner of every open cart holding the variant (its price, stock or sale status
    changed: their lines show new notices), once the current transaction commits."""

    def publish() -> None:
        holding = (
            Cart.objects.filter(
                status=Cart.Status.OPEN,
                pk__in=CartLine.objects.filter(variant_id=variant_id).values("cart_id"),
            )
            .annotate(items=Sum("lines__quantity"))
            .values_list("user_id", "token", "version", "items")
        )
        for user_id, token, version, items in holding.iterator(chunk_size=500):
            live_publish(
                channel=cart_live_channel(user_id=user_id, token=token),
                data={"version": version, "total_items": items or 0},
            )

    transaction.on_commit(publish, robust=True)

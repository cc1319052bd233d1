"""Every change to a cart reaches its owner's live streams, after the change commits."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cart import services
from cart.live import cart_live_channel
from cart.models import Cart
from cart.selectors import CartOwner
from checkout import services as checkout
from recovery import services as retention
from shop import live
from tests.factories import UserFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


def heard(channel: str) -> list[dict]:
    """What this process's streams of `channel` would have been sent (no Redis in tests)."""
    return [event.data for event in live._local.since(channel, (0, 0))]


def guest_channel(owner: CartOwner) -> str:
    return cart_live_channel(token=owner.token)


def test_adds_changes_and_removals_are_heard_with_the_version_and_item_count(
    django_capture_on_commit_callbacks,
):
    variant = VariantFactory(stock_on_hand=10)
    # Each change commits on its own, as each request's does.
    with django_capture_on_commit_callbacks(execute=True):
        owner = guest_cart((variant, 2))
    with django_capture_on_commit_callbacks(execute=True):
        line = services.cart_add_line(owner=owner, variant_id=variant.pk, source="test")
    with django_capture_on_commit_callbacks(execute=True):
        services.cart_remove_line(owner=owner, line_id=line.line_id, source="test")

    assert heard(guest_channel(owner)) == [
        {"version": 2, "total_items": 2},
        {"version": 3, "total_items": 3},
        {"version": 4, "total_items": 0},
    ]


def test_nothing_is_heard_of_a_change_rolled_back(django_capture_on_commit_callbacks):
    variant = VariantFactory(stock_on_hand=10)
    owner = guest_cart((variant, 1))
    channel = guest_channel(owner)
    before = heard(channel)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.cart_add_line(owner=owner, variant_id=variant.pk, source="test")
        transaction.set_rollback(True)

    assert heard(channel) == before


def test_a_merge_at_login_is_heard_by_the_guest_and_by_the_shopper(
    django_capture_on_commit_callbacks,
):
    variant, shopper = VariantFactory(stock_on_hand=10), UserFactory()
    owner = guest_cart((variant, 2))
    with django_capture_on_commit_callbacks(execute=True):
        services.cart_merge(user=shopper, guest_token=owner.token, source="test")

    assert heard(guest_channel(owner))[-1]["total_items"] == 0  # the guest cart is gone
    assert heard(cart_live_channel(user_id=shopper.pk))[-1]["total_items"] == 2


def test_a_checkout_starting_being_paid_and_ending_is_heard(
    shipping_methods, django_capture_on_commit_callbacks
):
    variant = VariantFactory(stock_on_hand=10)
    owner = guest_cart((variant, 1))
    channel = guest_channel(owner)
    with django_capture_on_commit_callbacks(execute=True):
        first = start(owner)
    started = len(heard(channel))
    with django_capture_on_commit_callbacks(execute=True):
        checkout.order_cancel(order_id=first.order.pk, reason="test")
    ended = len(heard(channel))
    with django_capture_on_commit_callbacks(execute=True):
        second = start(owner)
        checkout.order_mark_paid(order_id=second.order.pk)

    assert started == 1
    assert ended == 2
    assert heard(channel)[-1]["total_items"] == 0  # paid: the guest starts afresh


def test_an_expired_cart_is_heard(settings, django_capture_on_commit_callbacks):
    settings.USER_CART_TTL_DAYS = 30
    shopper = UserFactory()
    owner = CartOwner(user=shopper)
    services.cart_add_line(owner=owner, variant_id=VariantFactory().pk, source="test")
    Cart.objects.filter(user=shopper).update(last_activity_at=timezone.now() - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.carts_expire_idle().carts == 1

    assert heard(cart_live_channel(user_id=shopper.pk))[-1]["total_items"] == 0


def test_a_variants_new_price_or_stock_is_heard_by_the_carts_holding_it_only(
    django_capture_on_commit_callbacks,
):
    from catalog.services import variant_update
    from inventory.services import stock_set

    held, other = VariantFactory(stock_on_hand=10), VariantFactory(stock_on_hand=10)
    holder, bystander = guest_cart((held, 3)), guest_cart((other, 1))
    before = len(heard(guest_channel(bystander)))
    with django_capture_on_commit_callbacks(execute=True):
        variant_update(variant_id=held.pk, price="99.00")
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(variant_id=held.pk, quantity=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held.save(update_fields=["name"])  # nothing a cart shows

    assert heard(guest_channel(holder))[-2:] == [{"version": 2, "total_items": 3}] * 2
    assert callbacks == []
    assert len(heard(guest_channel(bystander))) == before

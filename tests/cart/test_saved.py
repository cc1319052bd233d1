"""Saved for later and the wishlist, as services (issue 15, points 1, 2, 6, 7): each rule,
the merges at login, expiry and the limits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cart import services
from cart.exceptions import (
    CartVersionMismatchError,
    LineNotFoundError,
    SavedItemNotFoundError,
    SavedItemsFullError,
    WishlistFullError,
    WishlistItemNotFoundError,
)
from cart.models import Cart, CartEvent, CartLine, SavedItem, WishlistItem
from cart.selectors import (
    CartOwner,
    cart_summary,
    saved_item_list,
    wishlist_count,
    wishlist_list,
)
from catalog.exceptions import LinePropertyRequiredError, VariantNotFoundError
from catalog.models import Product, Variant
from checkout.models import Order
from inventory.exceptions import PurchaseRefusedError
from recovery.services import carts_expire_idle
from tests.factories import (
    ProductFactory,
    ProductLineFieldFactory,
    UserFactory,
    VariantFactory,
)
from tests.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def mug():
    return VariantFactory(product__name="Mug", price="12.00", stock_on_hand=5)


@pytest.fixture
def lamp():
    return VariantFactory(product__name="Lamp", price="40.00", stock_on_hand=3)


def add(owner, variant, quantity=1, **properties):
    change = services.cart_add_line(
        owner=owner, variant_id=variant.pk, quantity=quantity, properties=properties, source="t"
    )
    return CartOwner(user=owner.user) if owner.user else CartOwner(token=change.summary.token)


def line_of(owner, variant):
    return next(line for line in cart_summary(owner=owner).lines if line.variant_id == variant.pk)


def save(owner, variant):
    return services.cart_line_save(owner=owner, line_id=line_of(owner, variant).id, source="t")


# --- saving ------------------------------------------------------------------------------


def test_saving_takes_the_line_out_of_the_totals_and_keeps_it_with_its_quantity(mug, lamp):
    owner = add(add(CartOwner(), mug, 2), lamp, 1)
    version = cart_summary(owner=owner).version

    change = save(owner, mug)

    assert [line.variant_id for line in change.summary.lines] == [lamp.pk]
    assert change.summary.subtotal == Decimal("40.00") and change.summary.total_items == 1
    assert change.summary.version == version + 1
    assert change.message == "Saved Mug for later."
    [item] = saved_item_list(owner=owner)
    assert (item.variant_id, item.quantity, item.current_price) == (mug.pk, 2, Decimal("12.00"))
    event = CartEvent.objects.filter(type="line_saved").get()
    assert event.payload["change"]["variant_id"] == mug.pk
    assert event.payload["change"]["quantity"] == 2


def test_saving_again_sums_into_one_item_per_variant_and_properties(mug):
    owner = add(CartOwner(), mug, 2)
    save(owner, mug)
    add(owner, mug, 1)
    save(owner, mug)

    assert [item.quantity for item in saved_item_list(owner=owner)] == [3]


def test_the_same_variant_with_other_properties_is_another_saved_item():
    product = ProductFactory(name="Pen", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    pen = VariantFactory(product=product, stock_on_hand=9)
    owner = add(CartOwner(), pen, 1, engraving="Ada")
    add(owner, pen, 1, engraving="Grace")

    for line in cart_summary(owner=owner).lines:
        services.cart_line_save(owner=owner, line_id=line.id, source="t")

    items = saved_item_list(owner=owner)
    assert sorted(item.properties["engraving"] for item in items) == ["Ada", "Grace"]
    assert {item.properties_display[0]["label"] for item in items} == {"Engraving"}


def test_saved_items_are_never_reserved_and_do_not_count_against_stock(mug, shipping_methods):
    owner = add(CartOwner(), mug, 5)
    save(owner, mug)
    other = add(CartOwner(), mug, 5)  # all five can still be bought by someone else

    assert cart_summary(owner=other).total_items == 5
    start(other)
    assert saved_item_list(owner=owner)[0].available_stock == 0


def test_saving_is_a_cart_change_that_ends_an_open_checkout(mug, lamp, shipping_methods):
    owner = add(add(CartOwner(), mug, 1), lamp, 1)
    order = start(owner).order

    save(owner, lamp)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "cart_changed"


def test_saving_someone_elses_line_or_with_a_stale_version_changes_nothing(mug):
    mine = add(CartOwner(), mug, 1)
    theirs = add(CartOwner(), mug, 1)
    line_id = line_of(theirs, mug).id

    with pytest.raises(LineNotFoundError):
        services.cart_line_save(owner=mine, line_id=line_id, source="t")
    with pytest.raises(CartVersionMismatchError):
        services.cart_line_save(owner=theirs, line_id=line_id, source="t", expected_version=99)
    assert CartLine.objects.count() == 2 and not SavedItem.objects.exists()


def test_at_most_cart_max_lines_saved_items(settings, mug, lamp):
    settings.CART_MAX_LINES = 1
    owner = add(CartOwner(), mug, 1)
    save(owner, mug)
    add(owner, lamp, 1)

    with pytest.raises(SavedItemsFullError) as full:
        save(owner, lamp)

    assert full.value.http_status == 409
    assert "at most 1" in full.value.message
    assert cart_summary(owner=owner).total_items == 1  # the line stayed in the cart
    # The same variant again still fits: it sums into its item.
    services.cart_remove_line(owner=owner, line_id=line_of(owner, lamp).id, source="t")
    add(owner, mug, 1)
    save(owner, mug)
    assert [item.quantity for item in saved_item_list(owner=owner)] == [2]


# --- moving back ---------------------------------------------------------------------------


def test_moving_back_is_an_add_at_todays_price(mug):
    owner = add(CartOwner(), mug, 2)
    save(owner, mug)
    Variant.objects.filter(pk=mug.pk).update(price="15.00")
    [item] = saved_item_list(owner=owner)

    change = services.saved_item_move_to_cart(owner=owner, saved_id=item.id, source="t")

    [line] = change.summary.lines
    assert (line.quantity, line.unit_price, line.current_price) == (2, Decimal("15.00"), 15)
    assert not saved_item_list(owner=owner)
    assert change.message == "Moved Mug to your cart."
    assert CartEvent.objects.filter(type="line_restored").count() == 1


def test_a_refused_move_back_changes_nothing_and_says_why(mug):
    owner = add(CartOwner(), mug, 4)
    save(owner, mug)
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=2)
    [item] = saved_item_list(owner=owner)
    version = cart_summary(owner=owner).version

    with pytest.raises(PurchaseRefusedError) as refused:
        services.saved_item_move_to_cart(owner=owner, saved_id=item.id, source="t")

    assert refused.value.http_status == 409
    assert refused.value.message == "Only 2 left in stock"
    assert saved_item_list(owner=owner)[0].id == item.id
    assert cart_summary(owner=owner).version == version and not cart_summary(owner=owner).lines


def test_a_saved_item_no_longer_sold_stays_flagged_and_cannot_move_back(mug):
    owner = add(CartOwner(), mug, 1)
    save(owner, mug)
    Variant.objects.filter(pk=mug.pk).update(status=Variant.Status.ARCHIVED)

    [item] = saved_item_list(owner=owner)
    assert not item.is_available and item.stock_label == "No longer available"
    with pytest.raises(PurchaseRefusedError) as refused:
        services.saved_item_move_to_cart(owner=owner, saved_id=item.id, source="t")
    assert refused.value.message == "Sorry, this item is no longer available."

    Variant.objects.filter(pk=mug.pk).delete()
    [item] = saved_item_list(owner=owner)
    assert item.variant_id is None and item.product_name == "Mug" and not item.is_available
    with pytest.raises(PurchaseRefusedError):
        services.saved_item_move_to_cart(owner=owner, saved_id=item.id, source="t")
    assert SavedItem.objects.count() == 1


def test_sold_out_saved_items_are_flagged_and_back_in_stock_shown(mug):
    owner = add(CartOwner(), mug, 1)
    save(owner, mug)
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=0)
    assert saved_item_list(owner=owner)[0].stock_label == "Out of stock"
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=50)
    assert saved_item_list(owner=owner)[0].is_available


def test_removing_a_saved_item_and_another_owners(mug):
    owner = add(CartOwner(), mug, 1)
    save(owner, mug)
    [item] = saved_item_list(owner=owner)
    stranger = add(CartOwner(), mug, 1)

    with pytest.raises(SavedItemNotFoundError):
        services.saved_item_remove(owner=stranger, saved_id=item.id, source="t")
    with pytest.raises(SavedItemNotFoundError):
        services.saved_item_move_to_cart(owner=stranger, saved_id=item.id, source="t")
    change = services.saved_item_remove(owner=owner, saved_id=item.id, source="t")

    assert change.message == "Removed Mug from your saved items."
    assert not SavedItem.objects.exists()


def test_a_shoppers_saved_items_outlive_their_cart(mug):
    user = UserFactory()
    owner = add(CartOwner(user=user), mug, 1)
    save(owner, mug)
    Cart.objects.filter(user=user).update(status=Cart.Status.CONVERTED)

    assert [item.variant_id for item in saved_item_list(owner=owner)] == [mug.pk]
    [item] = saved_item_list(owner=owner)
    change = services.saved_item_move_to_cart(owner=owner, saved_id=item.id, source="t")
    assert change.created_cart and change.summary.total_items == 1


# --- the wishlist --------------------------------------------------------------------------


def test_wishing_twice_keeps_one_item_and_a_guests_first_wish_makes_a_cart(mug):
    first = services.wishlist_add(owner=CartOwner(), variant_id=mug.pk, source="t")
    owner = CartOwner(token=first.token)
    again = services.wishlist_add(owner=owner, variant_id=mug.pk, source="t")

    assert first.created and first.created_cart and first.token
    assert not again.created and again.item_id == first.item_id and again.count == 1
    assert Cart.objects.get(token=first.token).lines.count() == 0
    assert cart_summary(owner=owner).total_items == 0  # a wish is not in the cart


def test_the_heart_toggles_and_unknown_or_draft_variants_are_refused(mug):
    owner = CartOwner(user=UserFactory())
    assert services.wishlist_toggle(owner=owner, variant_id=mug.pk, source="t").on_wishlist
    off = services.wishlist_toggle(owner=owner, variant_id=mug.pk, source="t")
    assert not off.on_wishlist and off.count == 0

    draft = VariantFactory(product__status=Product.Status.DRAFT)
    for variant_id in (draft.pk, 10**9):
        with pytest.raises(VariantNotFoundError):
            services.wishlist_add(owner=owner, variant_id=variant_id, source="t")
    assert not WishlistItem.objects.exists()


def test_sold_out_variants_can_be_wished_for_and_show_as_such(mug):
    owner = CartOwner(user=UserFactory())
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=0)
    services.wishlist_add(owner=owner, variant_id=mug.pk, source="t")

    [item] = wishlist_list(owner=owner)
    assert (item.is_available, item.stock_code, item.stock_label) == (
        False,
        "out_of_stock",
        "Out of stock",
    )
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=3)
    assert wishlist_list(owner=owner)[0].stock_label == "Only 3 left"


def test_moving_a_wish_to_the_cart_adds_one_and_the_wish_stays(mug):
    owner = CartOwner(user=UserFactory())
    wish = services.wishlist_add(owner=owner, variant_id=mug.pk, source="t")

    services.wishlist_move_to_cart(owner=owner, item_id=wish.item_id, source="t")
    change = services.wishlist_move_to_cart(owner=owner, item_id=wish.item_id, source="t")

    assert change.summary.lines[0].quantity == 2
    assert wishlist_count(owner=owner) == 1


def test_moving_a_wish_is_refused_like_an_add(mug):
    owner = CartOwner(user=UserFactory())
    wish = services.wishlist_add(owner=owner, variant_id=mug.pk, source="t")
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=0)
    with pytest.raises(PurchaseRefusedError):
        services.wishlist_move_to_cart(owner=owner, item_id=wish.item_id, source="t")

    product = ProductFactory(name="Ring", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", required=True)
    ring = VariantFactory(product=product, stock_on_hand=3)
    ring_wish = services.wishlist_add(owner=owner, variant_id=ring.pk, source="t")
    with pytest.raises(LinePropertyRequiredError):
        services.wishlist_move_to_cart(owner=owner, item_id=ring_wish.item_id, source="t")
    assert not CartLine.objects.exists() and wishlist_count(owner=owner) == 2


def test_removing_a_wish_and_another_owners(mug):
    owner = CartOwner(user=UserFactory())
    wish = services.wishlist_add(owner=owner, variant_id=mug.pk, source="t")
    with pytest.raises(WishlistItemNotFoundError):
        services.wishlist_remove(owner=CartOwner(user=UserFactory()), item_id=wish.item_id)
    with pytest.raises(WishlistItemNotFoundError):
        services.wishlist_move_to_cart(
            owner=CartOwner(user=UserFactory()), item_id=wish.item_id, source="t"
        )
    assert services.wishlist_remove(owner=owner, item_id=wish.item_id).count == 0


def test_at_most_200_wishlist_items(monkeypatch, mug, lamp):
    monkeypatch.setattr("cart.services.wishlist.WISHLIST_MAX_ITEMS", 1)
    owner = CartOwner(user=UserFactory())
    services.wishlist_add(owner=owner, variant_id=mug.pk, source="t")

    with pytest.raises(WishlistFullError) as full:
        services.wishlist_add(owner=owner, variant_id=lamp.pk, source="t")

    assert full.value.http_status == 409
    # Wishing for what is already on it is no new item.
    assert not services.wishlist_add(owner=owner, variant_id=mug.pk, source="t").created


def test_the_real_wishlist_limit_is_200():
    from cart.models import WISHLIST_MAX_ITEMS

    assert WISHLIST_MAX_ITEMS == 200


# --- merge at login ------------------------------------------------------------------------


def test_a_guests_saved_items_and_wishlist_merge_at_login_one_entry_each(mug, lamp):
    user = UserFactory()
    mine = add(CartOwner(user=user), mug, 1)
    save(mine, mug)
    services.wishlist_add(owner=mine, variant_id=mug.pk, source="t")
    guest = add(add(CartOwner(), mug, 2), lamp, 1)
    save(guest, mug)
    save(guest, lamp)
    services.wishlist_add(owner=guest, variant_id=mug.pk, source="t")
    services.wishlist_add(owner=guest, variant_id=lamp.pk, source="t")

    result = services.cart_merge(user=user, guest_token=guest.token, source="t")

    saved = {item.variant_id: item.quantity for item in saved_item_list(owner=mine)}
    assert saved == {mug.pk: 3, lamp.pk: 1}
    assert {item.variant_id for item in wishlist_list(owner=mine)} == {mug.pk, lamp.pk}
    assert wishlist_count(owner=mine) == 2
    assert not SavedItem.objects.filter(cart__isnull=False).exists()
    assert not WishlistItem.objects.filter(cart__isnull=False).exists()
    assert result.changed
    assert "2 saved items joined your saved items." in result.message
    assert "1 item joined your wishlist."  # the mug was there already in result.message


def test_a_guest_wish_already_on_the_wishlist_is_not_reported_as_joining(mug):
    user = UserFactory()
    services.wishlist_add(owner=CartOwner(user=user), variant_id=mug.pk, source="t")
    wish = services.wishlist_add(owner=CartOwner(), variant_id=mug.pk, source="t")

    result = services.cart_merge(user=user, guest_token=wish.token, source="t")

    assert result.wishlist_moved == 0
    assert "wishlist" not in (result.message or "")
    assert wishlist_count(owner=CartOwner(user=user)) == 1


def test_a_guest_with_only_a_wishlist_merges_it_and_is_told(mug):
    user = UserFactory()
    wish = services.wishlist_add(owner=CartOwner(), variant_id=mug.pk, source="t")

    result = services.cart_merge(user=user, guest_token=wish.token, source="t")

    assert result.changed and result.summary is None
    assert result.message == "1 item joined your wishlist."
    assert wishlist_count(owner=CartOwner(user=user)) == 1


def test_what_finds_no_room_at_merge_is_left_out_and_named(settings, mug, lamp):
    settings.CART_MAX_LINES = 1
    user = UserFactory()
    mine = add(CartOwner(user=user), lamp, 1)
    save(mine, lamp)
    guest = add(CartOwner(), mug, 1)
    save(guest, mug)

    result = services.cart_merge(user=user, guest_token=guest.token, source="t")

    assert [item.variant_id for item in saved_item_list(owner=mine)] == [lamp.pk]
    assert "No room to keep: Mug." in result.message


# --- expiry --------------------------------------------------------------------------------


@pytest.mark.postgres
def test_cart_expiry_takes_a_guests_saved_items_and_wishlist_but_never_a_shoppers(settings, mug):
    settings.GUEST_CART_TTL_DAYS, settings.USER_CART_TTL_DAYS = 7, 30
    guest = add(CartOwner(), mug, 1)
    save(guest, mug)
    services.wishlist_add(owner=guest, variant_id=mug.pk, source="t")
    user = UserFactory()
    shopper = add(CartOwner(user=user), mug, 1)
    save(shopper, mug)
    services.wishlist_add(owner=shopper, variant_id=mug.pk, source="t")
    long_ago = timezone.now() - timedelta(days=60)
    Cart.objects.update(last_activity_at=long_ago)

    assert carts_expire_idle().carts == 2

    assert list(SavedItem.objects.values_list("user_id", flat=True)) == [user.pk]
    assert list(WishlistItem.objects.values_list("user_id", flat=True)) == [user.pk]
    assert wishlist_count(owner=shopper) == 1


def test_using_a_guests_wishlist_keeps_their_cart_alive(mug, lamp):
    wish = services.wishlist_add(owner=CartOwner(), variant_id=mug.pk, source="t")
    long_ago = timezone.now() - timedelta(days=6)
    Cart.objects.update(last_activity_at=long_ago)

    services.wishlist_add(owner=CartOwner(token=wish.token), variant_id=lamp.pk, source="t")

    assert Cart.objects.get().last_activity_at > long_ago


def test_a_guest_who_pays_keeps_their_saved_items_and_wishlist(mug, lamp, shipping_methods):
    from checkout.services import local_payment_complete

    owner = add(add(CartOwner(), mug, 1), lamp, 1)
    save(owner, lamp)
    services.wishlist_add(owner=owner, variant_id=lamp.pk, source="t")
    order = start(owner).order

    local_payment_complete(order_id=order.pk, succeed=True)

    assert Cart.objects.get(pk=order.cart_id).status == Cart.Status.CONVERTED
    summary = cart_summary(owner=owner)
    assert summary.is_empty and summary.cart_id != order.cart_id  # a fresh cart
    assert [item.variant_id for item in saved_item_list(owner=owner)] == [lamp.pk]
    assert wishlist_count(owner=owner) == 1

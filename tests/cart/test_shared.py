"""Shared carts (issue 15, point 3): the services, each rule on its own.

A link is a snapshot of lines (variant, quantity, properties), unguessable, read-only and
expiring; opening it shows today's prices and stock; adding it caps rather than refuses and
says what was capped or left out.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cart import services
from cart.exceptions import (
    CartVersionMismatchError,
    LinePropertyError,
    SharedCartEmptyError,
    SharedCartNotFoundError,
    VariantNotFoundError,
)
from cart.models import Cart, CartEvent, CartLine, SharedCart
from cart.selectors import CartOwner, cart_summary
from catalog.models import Product, Variant
from recovery.reports import funnel_report
from tests.factories import (
    CartLineFactory,
    ProductFactory,
    ProductLineFieldFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
)
from tests.helpers import guest_cart

pytestmark = pytest.mark.django_db

GUEST = CartOwner()
# A cart line whose variant was deleted since.
GONE = {
    "variant": None,
    "sku": "GONE",
    "product_name": "Gone",
    "variant_name": "",
    "unit_price": 1,
}


@pytest.fixture
def knife():
    """A variant whose product has an optional engraving of at most 20 characters."""
    product = ProductFactory(name="Chef's Knife", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    return VariantFactory(product=product, name="8 inch", price="89.00", stock_on_hand=10)


def add(owner, variant, quantity=1, properties=None):
    change = services.cart_add_line(
        owner=owner,
        variant_id=variant.pk,
        quantity=quantity,
        properties=properties,
        source="test",
    )
    return owner if owner.user or owner.token else CartOwner(token=change.summary.token)


def share(owner):
    return services.cart_share(owner=owner, source="test")


def add_all(link, owner=GUEST, **kwargs):
    return services.shared_cart_add_to_cart(token=link.token, owner=owner, source="test", **kwargs)


# --- sharing -----------------------------------------------------------------------


def test_sharing_snapshots_variants_quantities_and_properties(knife, settings):
    settings.SHARED_CART_TTL_DAYS = 30
    mug = VariantFactory(price="12.00")
    owner = add(GUEST, knife, 1, {"engraving": "For Ada"})
    add(owner, mug, 3)

    link = share(owner)

    shared = SharedCart.objects.get()
    assert link.token == shared.token and link.created
    assert link.path == f"/cart/shared/{link.token}/"
    assert [(line.variant, line.quantity, line.properties) for line in shared.lines.all()] == [
        (knife, 1, {"engraving": "For Ada"}),
        (mug, 3, {}),
    ]
    expected = timezone.now() + timedelta(days=30)
    assert abs((link.expires_at - expected).total_seconds()) < 5
    assert shared.kind == SharedCart.Kind.SHOPPER


def test_the_link_is_unguessable_and_each_cart_gets_its_own(knife):
    first = share(add(GUEST, knife))
    second = share(add(GUEST, knife))

    assert first.token != second.token
    # secrets.token_urlsafe(32): 256 bits, never the cart's own token.
    assert len(first.token) >= 43
    assert first.token not in {cart.token for cart in Cart.objects.all()}


def test_sharing_records_cart_shared_on_the_cart(knife):
    user = UserFactory()
    owner = add(CartOwner(user=user), knife, 2)

    link = share(owner)

    event = CartEvent.objects.get(type="cart_shared")
    assert event.cart == Cart.objects.get() and event.user == user
    assert event.payload["change"]["shared_cart_id"] == link.shared_cart_id
    assert event.payload["change"]["lines"] == 1


def test_the_link_is_a_snapshot_never_the_live_cart(knife):
    owner = add(GUEST, knife, 1)
    link = share(owner)
    line_id = cart_summary(owner=owner).lines[0].id

    services.cart_set_line_quantity(owner=owner, line_id=line_id, quantity=5, source="test")
    add(owner, VariantFactory())

    [item] = services.shared_cart_read(token=link.token).items
    assert (item.variant_id, item.quantity) == (knife.pk, 1)


def test_sharing_an_unchanged_cart_again_gives_the_same_link_renewed(knife, settings):
    owner = add(GUEST, knife)
    first = share(owner)
    SharedCart.objects.update(expires_at=timezone.now() + timedelta(days=1))

    again = share(owner)

    assert (again.token, again.created) == (first.token, False)
    assert SharedCart.objects.get().expires_at > timezone.now() + timedelta(days=29)
    assert CartEvent.objects.filter(type="cart_shared").count() == 1

    add(owner, knife)  # the cart changed: a new snapshot
    assert share(owner).token != first.token
    assert SharedCart.objects.count() == 2


def test_an_empty_cart_cannot_be_shared():
    with pytest.raises(SharedCartEmptyError) as no_cart:
        share(GUEST)
    owner = add(GUEST, VariantFactory())
    services.cart_clear(owner=owner, source="test")
    with pytest.raises(SharedCartEmptyError):
        share(owner)

    assert no_cart.value.http_status == 409 and no_cart.value.code == "cart_empty"
    assert not SharedCart.objects.exists()


def test_a_line_whose_variant_was_deleted_is_left_out_of_the_snapshot(knife):
    owner = add(GUEST, knife)
    CartLineFactory(cart=Cart.objects.get(), **GONE)

    share(owner)

    assert [line.variant for line in SharedCart.objects.get().lines.all()] == [knife]


def test_a_cart_of_deleted_variants_only_is_empty_to_share():
    cart = CartLineFactory(**GONE).cart

    with pytest.raises(SharedCartEmptyError):
        share(CartOwner(token=cart.token))


# --- opening -------------------------------------------------------------------------


def test_opening_shows_today_s_prices_and_stock_never_the_sharer_or_their_prices(knife):
    user = UserFactory(email="sharer@example.com")
    owner = add(CartOwner(user=user), knife, 2, {"engraving": "For Ada"})
    link = share(owner)
    Variant.objects.filter(pk=knife.pk).update(price=Decimal("95.00"), stock_on_hand=4)

    view = services.shared_cart_open(token=link.token, viewer=None, source="test")

    [item] = view.items
    assert item.current_price == Decimal("95.00") and item.line_total == Decimal("190.00")
    assert item.available_stock == 4 and item.stock_label == "Only 4 left"
    assert item.properties == {"engraving": "For Ada"}
    assert item.properties_display == (
        {"key": "engraving", "label": "Engraving", "value": "For Ada"},
    )
    assert view.subtotal == Decimal("190.00") and view.total_items == 2
    shown = repr(view)
    assert "sharer@example.com" not in shown and "89.00" not in shown
    assert not hasattr(item, "unit_price")


def test_opening_says_what_add_all_would_cap_or_leave_out(knife):
    gone = VariantFactory(product=ProductFactory(name="Retired Mug", variants=0))
    sold_out = VariantFactory(stock_on_hand=5)
    owner = add(GUEST, knife, 3)
    add(owner, gone)
    add(owner, sold_out, 2)
    link = share(owner)
    Variant.objects.filter(pk=knife.pk).update(stock_on_hand=2)
    Product.objects.filter(pk=gone.product_id).update(status=Product.Status.ARCHIVED)
    Variant.objects.filter(pk=sold_out.pk).update(stock_on_hand=0)

    capped, unavailable, out = services.shared_cart_read(token=link.token).items

    assert (capped.issue, capped.addable_quantity, capped.is_available) == (
        "insufficient_stock",
        2,
        True,
    )
    assert capped.issue_message == "Only 2 left in stock: 2 will be added."
    assert (unavailable.issue, unavailable.is_available) == ("unavailable", False)
    assert unavailable.product_url == "" and unavailable.line_total == 0
    assert (out.issue, out.issue_message) == ("out_of_stock", "Out of stock")


@pytest.mark.parametrize("token", ["", "short", "x" * 80, "bad token with spaces!", "a\x00" * 20])
def test_a_malformed_or_unknown_token_is_not_found(token):
    with pytest.raises(SharedCartNotFoundError) as error:
        services.shared_cart_read(token=token)

    assert error.value.http_status == 404


def test_an_expired_link_is_not_found(knife):
    link = share(add(GUEST, knife))
    SharedCart.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(SharedCartNotFoundError):
        services.shared_cart_open(token=link.token, viewer=None, source="test")
    with pytest.raises(SharedCartNotFoundError):
        add_all(link)


def test_opening_is_recorded_once_per_viewer(knife):
    user = UserFactory()
    link = share(add(GUEST, knife))

    for _ in range(3):
        services.shared_cart_open(token=link.token, user=user, viewer="user:1", source="test")
    services.shared_cart_open(token=link.token, viewer="session:abc", source="test")
    services.shared_cart_open(token=link.token, viewer=None, source="test")

    opened = CartEvent.objects.filter(type="shared_cart_opened")
    assert opened.count() == 3
    event = opened.filter(user=user).get()
    assert event.payload["shared_cart_id"] == link.shared_cart_id
    assert event.payload["items"] == [{"variant_id": knife.pk, "sku": knife.sku, "quantity": 1}]
    assert SharedCart.objects.get().open_count == 3


# --- adding all -------------------------------------------------------------------------


def test_add_all_puts_every_line_in_a_new_guest_cart(knife):
    mug = VariantFactory(price="12.00")
    owner = add(GUEST, knife, 1, {"engraving": "For Ada"})
    add(owner, mug, 2)
    link = share(owner)

    result = add_all(link)

    assert result.created_cart and result.changed
    visitor = Cart.objects.get(token=result.summary.token)
    assert visitor.token != owner.token
    assert [(line.variant, line.quantity, line.properties) for line in visitor.lines.all()] == [
        (knife, 1, {"engraving": "For Ada"}),
        (mug, 2, {}),
    ]
    assert result.summary.subtotal == Decimal("113.00")
    assert result.message == "Added 3 items to your cart."
    assert (result.capped, result.left_out) == ([], [])
    event = CartEvent.objects.get(type="shared_cart_added")
    assert event.cart == visitor
    assert event.payload["change"]["shared_cart_id"] == link.shared_cart_id
    assert SharedCart.objects.get().add_count == 1


def test_add_all_sums_with_the_visitor_s_line_and_caps_by_stock(knife):
    link = share(add(GUEST, knife, 4, {"engraving": "For Ada"}))
    visitor = add(CartOwner(user=UserFactory()), knife, 3, {"engraving": "For Ada"})
    Variant.objects.filter(pk=knife.pk).update(stock_on_hand=5)

    result = add_all(link, visitor)

    [line] = cart_summary(owner=visitor).lines
    assert line.quantity == 5
    [capped] = result.capped
    assert (capped.requested, capped.added, capped.reason) == (4, 2, "insufficient_stock")
    assert result.message == (
        "Added 2 items to your cart. Chef's Knife (8 inch): 2 of 4 added (only 5 left)."
    )


def test_stock_counts_every_line_of_the_variant_whatever_its_properties(knife):
    link = share(add(GUEST, knife, 3, {"engraving": "For Ada"}))
    visitor = add(GUEST, knife, 8)  # no engraving: another line of the same variant

    result = add_all(link, visitor)

    assert sorted(line.quantity for line in cart_summary(owner=visitor).lines) == [2, 8]
    assert [(o.added, o.reason) for o in result.capped] == [(2, "insufficient_stock")]


def test_add_all_caps_by_the_line_maximum(knife, settings):
    settings.CART_MAX_LINE_QUANTITY = 5
    link = share(add(GUEST, knife, 3))
    visitor = add(GUEST, knife, 4)

    result = add_all(link, visitor)

    assert cart_summary(owner=visitor).lines[0].quantity == 5
    [capped] = result.capped
    assert (capped.added, capped.reason) == (1, "line_maximum")
    assert "1 of 3 added (at most 5 of one item)" in result.message


def test_add_all_leaves_out_what_is_no_longer_sold_and_says_so(knife):
    archived = VariantFactory(product=ProductFactory(name="Old Kettle", variants=0), name="Red")
    deleted = VariantFactory(product=ProductFactory(name="Lost Lamp", variants=0), name="Default")
    sold_out = VariantFactory(product=ProductFactory(name="Hot Item", variants=0), name="Default")
    owner = add(GUEST, knife)
    for variant in (archived, deleted, sold_out):
        add(owner, variant)
    link = share(owner)
    Variant.objects.filter(pk=archived.pk).update(status=Variant.Status.ARCHIVED)
    deleted.delete()
    Variant.objects.filter(pk=sold_out.pk).update(stock_on_hand=0)

    result = add_all(link)

    assert [line.variant for line in Cart.objects.get(token=result.summary.token).lines.all()] == [
        knife
    ]
    assert [(o.name, o.reason) for o in result.left_out] == [
        ("Old Kettle (Red)", "unavailable"),
        ("Lost Lamp", "unavailable"),
        ("Hot Item", "out_of_stock"),
    ]
    assert result.message == (
        "Added 1 item to your cart. Not added: Old Kettle (Red) (no longer available), "
        "Lost Lamp (no longer available), Hot Item (out of stock)."
    )
    assert CartEvent.objects.get(type="shared_cart_added").payload["change"]["left_out"] == [
        {"variant_id": archived.pk, "requested": 1, "added": 0, "reason": "unavailable"},
        {"variant_id": None, "requested": 1, "added": 0, "reason": "unavailable"},
        {"variant_id": sold_out.pk, "requested": 1, "added": 0, "reason": "out_of_stock"},
    ]


def test_add_all_revalidates_properties_against_today_s_line_fields(knife):
    mug = VariantFactory()
    owner = add(GUEST, knife, 1, {"engraving": "A long engraving"})
    add(owner, mug)
    link = share(owner)
    knife.product.line_fields.update(max_length=5)  # staff shortened the field since

    result = add_all(link)

    assert [line.variant for line in Cart.objects.get(token=result.summary.token).lines.all()] == [
        mug
    ]
    assert [(o.variant_id, o.reason) for o in result.left_out] == [(knife.pk, "options_changed")]
    assert "Chef's Knife (8 inch) (its options have changed)" in result.message
    [item, _mug] = services.shared_cart_read(token=link.token).items
    assert item.issue == "options_changed" and item.properties == {"engraving": "A long engraving"}


def test_properties_show_with_today_s_labels(knife):
    link = share(add(GUEST, knife, 1, {"engraving": "For Ada"}))
    knife.product.line_fields.update(label="Inscription")

    result = add_all(link)

    [item] = services.shared_cart_read(token=link.token).items
    assert item.properties_display[0]["label"] == "Inscription"
    assert result.summary.lines[0].properties_display[0]["label"] == "Inscription"


def test_add_all_leaves_out_a_new_line_when_the_visitor_s_cart_is_full(knife, settings):
    settings.CART_MAX_LINES = 2
    mug, lamp = VariantFactory(), VariantFactory()
    owner = add(GUEST, mug)
    add(owner, knife)
    link = share(owner)
    visitor = add(GUEST, lamp)

    result = add_all(link, visitor)

    assert {line.variant_id for line in cart_summary(owner=visitor).lines} == {lamp.pk, mug.pk}
    assert [(o.variant_id, o.reason) for o in result.left_out] == [(knife.pk, "cart_full")]


def test_when_nothing_can_be_added_nothing_changes_and_no_cart_is_made(knife):
    link = share(add(GUEST, knife))
    Variant.objects.filter(pk=knife.pk).update(stock_on_hand=0)
    carts = Cart.objects.count()

    result = add_all(link)

    assert not result.changed and not result.created_cart
    assert Cart.objects.count() == carts
    assert result.summary.cart_id is None
    assert result.message == (
        "Nothing could be added to your cart. Not added: Chef's Knife (8 inch) (out of stock)."
    )
    assert not CartEvent.objects.filter(type="shared_cart_added").exists()


def test_add_all_honours_the_cart_version(knife):
    link = share(add(GUEST, knife))
    visitor = add(GUEST, VariantFactory())
    version = cart_summary(owner=visitor).version

    with pytest.raises(CartVersionMismatchError):
        add_all(link, visitor, expected_version=version - 1)
    result = add_all(link, visitor, expected_version=version)

    assert result.summary.version == version + 1


def test_adding_twice_sums_again_within_the_caps(knife):
    link = share(add(GUEST, knife, 2))
    visitor = CartOwner(user=UserFactory())

    add_all(link, visitor)
    add_all(link, visitor)

    assert cart_summary(owner=visitor).lines[0].quantity == 4


def test_the_sharer_s_own_cart_is_left_alone(knife):
    owner = add(GUEST, knife, 2)
    link = share(owner)
    before = cart_summary(owner=owner)

    add_all(link, CartOwner(user=UserFactory()))

    after = cart_summary(owner=owner)
    assert (after.version, after.lines[0].quantity) == (before.version, 2)


# --- assisted sales (staff) -------------------------------------------------------------------


def test_staff_make_a_link_for_a_customer(knife):
    staff = StaffFactory()
    mug = VariantFactory()

    link = services.shared_cart_create_assisted(
        items=[
            services.LineRequest(knife.pk, 1, {"engraving": " For Ada "}),
            services.LineRequest(mug.pk, 2),
            services.LineRequest(knife.pk, 1, {"engraving": "For Ada"}),
        ],
        staff=staff,
        label="Ada Lovelace",
    )

    shared = SharedCart.objects.get()
    assert (shared.kind, shared.created_by, shared.label) == ("assisted", staff, "Ada Lovelace")
    assert [(line.variant, line.quantity, line.properties) for line in shared.lines.all()] == [
        (knife, 2, {"engraving": "For Ada"}),
        (mug, 2, {}),
    ]
    event = CartEvent.objects.get(type="cart_shared")
    assert event.cart is None and event.payload["source"] == "admin"
    assert event.payload["staff_user_id"] == staff.pk
    assert [item.quantity for item in services.shared_cart_read(token=link.token).items] == [2, 2]


def test_an_assisted_sale_refuses_bad_properties_and_variants_not_on_sale(knife):
    archived = VariantFactory(status=Variant.Status.ARCHIVED)
    draft = VariantFactory(product=ProductFactory(status=Product.Status.DRAFT, variants=0))

    with pytest.raises(LinePropertyError) as too_long:
        services.shared_cart_create_assisted(
            items=[(knife.pk, 1, {"engraving": "x" * 21})], staff=StaffFactory()
        )
    for variant in (archived, draft):
        with pytest.raises(VariantNotFoundError):
            services.shared_cart_create_assisted(items=[(variant.pk, 1)], staff=None)
    with pytest.raises(SharedCartEmptyError):
        services.shared_cart_create_assisted(items=[], staff=None)

    assert too_long.value.field == "properties.engraving"
    assert not SharedCart.objects.exists()


# --- ending links, the purge job, the funnel ------------------------------------------------


def test_staff_end_links_and_the_daily_job_deletes_expired_ones(knife):
    from cart.tasks import shared_carts_purge_expired_task

    kept = share(add(GUEST, knife))
    ended = share(add(GUEST, knife))

    assert services.shared_carts_expire(shared_cart_ids=[ended.shared_cart_id]) == 1
    with pytest.raises(SharedCartNotFoundError):
        services.shared_cart_read(token=ended.token)
    assert shared_carts_purge_expired_task() == 1

    assert list(SharedCart.objects.values_list("token", flat=True)) == [kept.token]
    assert CartEvent.objects.filter(type="cart_shared").count() == 2  # events stay


def test_the_funnel_report_counts_shares_opens_and_adds(knife):
    owner = guest_cart((knife, 1))
    link = share(owner)
    services.shared_cart_open(token=link.token, viewer=None, source="test")
    services.shared_cart_open(token=link.token, viewer=None, source="test")
    result = add_all(link)

    report = funnel_report(start=date.today(), end=date.today())

    assert (report.carts_shared, report.shared_carts_opened, report.shared_carts_added) == (
        1,
        2,
        1,
    )
    # A cart filled only from a shared cart counts as a cart that got an item.
    assert CartLine.objects.filter(cart__token=result.summary.token).exists()
    assert report.carts_with_items == 2

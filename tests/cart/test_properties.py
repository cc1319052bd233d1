"""Line properties and the cart note in the cart's services: every cart rule keeps working
when lines of one variant differ by what the shopper said about them."""

from decimal import Decimal

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory

from cart import services
from cart.exceptions import (
    CartFullError,
    CartNoteInvalidError,
    CartNoteTooLongError,
    CartVersionMismatchError,
    PurchaseRefusedError,
    QuantityAboveMaximumError,
)
from cart.models import Cart, CartLine
from cart.selectors import CartOwner, cart_summary
from catalog.exceptions import (
    LinePropertyRequiredError,
    LinePropertyTooLongError,
    LinePropertyUnknownError,
)
from catalog.models import ProductLineField
from tests.factories import (
    CartFactory,
    CartLineFactory,
    ProductLineFieldFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

GUEST = CartOwner()
ADA = {"engraving": "For Ada"}
GRACE = {"engraving": "For Grace"}


@pytest.fixture
def knife():
    """A variant whose product takes an optional engraving (at most 20 characters)."""
    variant = VariantFactory(price="89.00", stock_on_hand=5)
    ProductLineFieldFactory(product=variant.product)
    return variant


def add(owner, variant, quantity=1, properties=None):
    return services.cart_add_line(
        owner=owner, variant_id=variant.pk, quantity=quantity, properties=properties, source="test"
    )


def owner_of(change):
    return CartOwner(token=change.summary.token)


def lines_of(change):
    return [(line.variant_id, line.quantity, line.properties) for line in change.summary.lines]


# --- add ---------------------------------------------------------------------


def test_other_properties_make_another_line_and_the_same_properties_sum(knife):
    owner = owner_of(add(GUEST, knife, 1, ADA))
    add(owner, knife, 1, GRACE)
    add(owner, knife, 1)

    change = add(owner, knife, 1, {"engraving": "  For Ada "})  # the same, once trimmed

    assert lines_of(change) == [
        (knife.pk, 2, ADA),
        (knife.pk, 1, GRACE),
        (knife.pk, 1, {}),
    ]
    line = change.summary.lines[0]
    assert line.properties_display == (
        {"key": "engraving", "label": "Engraving", "value": "For Ada"},
    )
    assert CartLine.objects.filter(properties_key="").count() == 1


def test_a_missing_required_property_adds_nothing_not_even_a_cart(knife):
    ProductLineFieldFactory(
        product=knife.product, key="gift_wrap", label="Gift wrap", kind="choice",
        required=True, choices=["Kraft", "Linen"],
    )  # fmt: skip

    with pytest.raises(LinePropertyRequiredError) as refused:
        add(GUEST, knife, 1, ADA)

    assert refused.value.field == "properties.gift_wrap"
    assert not Cart.objects.exists()
    assert lines_of(add(GUEST, knife, 1, {**ADA, "gift_wrap": "Linen"}))[0][2] == {
        **ADA,
        "gift_wrap": "Linen",
    }


def test_a_value_over_its_length_changes_nothing_in_an_existing_cart(knife):
    owner = owner_of(add(GUEST, knife, 1, ADA))
    version = cart_summary(owner=owner).version

    with pytest.raises(LinePropertyTooLongError):
        add(owner, knife, 1, {"engraving": "x" * 21})

    summary = cart_summary(owner=owner)
    assert (summary.version, summary.total_items) == (version, 1)


def test_a_product_without_line_fields_takes_no_properties():
    plain = VariantFactory()

    with pytest.raises(LinePropertyUnknownError):
        add(GUEST, plain, 1, ADA)
    assert lines_of(add(GUEST, plain, 1, {}))[0][2] == {}


def test_stock_counts_every_line_of_the_variant(knife):  # stock 5
    owner = owner_of(add(GUEST, knife, 3, ADA))

    with pytest.raises(PurchaseRefusedError) as refused:
        add(owner, knife, 3, GRACE)

    assert refused.value.message == "Only 5 left in stock"
    assert lines_of(add(owner, knife, 2, GRACE)) == [(knife.pk, 3, ADA), (knife.pk, 2, GRACE)]
    with pytest.raises(PurchaseRefusedError):
        add(owner, knife, 1)


def test_raising_one_line_counts_the_variants_other_lines(knife):
    owner = owner_of(add(GUEST, knife, 3, ADA))
    change = add(owner, knife, 1, GRACE)
    grace_line = change.line_id

    with pytest.raises(PurchaseRefusedError):
        services.cart_set_line_quantity(owner=owner, line_id=grace_line, quantity=3, source="t")
    with pytest.raises(PurchaseRefusedError):
        services.cart_adjust_line_quantity(owner=owner, line_id=grace_line, delta=2, source="t")

    change = services.cart_set_line_quantity(
        owner=owner, line_id=grace_line, quantity=2, source="t"
    )
    assert [line.quantity for line in change.summary.lines] == [3, 2]


def test_when_stock_falls_both_lines_of_the_variant_are_flagged(knife):
    owner = owner_of(add(GUEST, knife, 2, ADA))
    add(owner, knife, 2, GRACE)
    knife.stock_on_hand = 3
    knife.save()

    summary = cart_summary(owner=owner)

    assert not summary.is_valid
    assert [line.blocking_issue.type for line in summary.lines] == ["insufficient_stock"] * 2


def test_the_line_maximum_counts_every_line_of_the_variant(knife, settings):
    settings.CART_MAX_LINE_QUANTITY = 3
    knife.stock_on_hand = 50
    knife.save()
    owner = owner_of(add(GUEST, knife, 2, ADA))

    with pytest.raises(QuantityAboveMaximumError):
        add(owner, knife, 2, GRACE)


def test_cart_max_lines_counts_lines_not_variants(knife, settings):
    settings.CART_MAX_LINES = 2
    owner = owner_of(add(GUEST, knife, 1, ADA))
    add(owner, knife, 1, GRACE)

    with pytest.raises(CartFullError):
        add(owner, knife, 1)
    add(owner, knife, 1, ADA)  # summing into a line is no new line


# --- bulk, replace, remove and undo ---------------------------------------------------


def test_bulk_sums_identical_properties_and_is_all_or_nothing(knife):
    change = services.cart_add_lines(
        owner=GUEST,
        items=[(knife.pk, 1, ADA), (knife.pk, 1, GRACE), (knife.pk, 1, ADA)],
        source="t",
    )
    assert lines_of(change) == [(knife.pk, 2, ADA), (knife.pk, 1, GRACE)]
    owner = owner_of(change)

    with pytest.raises(LinePropertyTooLongError) as refused:
        services.cart_add_lines(
            owner=owner, items=[(knife.pk, 1), (knife.pk, 1, {"engraving": "x" * 30})], source="t"
        )

    assert refused.value.details["variant_id"] == knife.pk
    assert cart_summary(owner=owner).total_items == 3


def test_replace_keeps_the_price_of_lines_with_the_same_properties(knife):
    owner = owner_of(add(GUEST, knife, 1, ADA))
    add(owner, knife, 1, GRACE)
    knife.price = Decimal("99.00")
    knife.save()

    change = services.cart_replace_lines(
        owner=owner, items=[(knife.pk, 2, {"engraving": "For Ada "}), (knife.pk, 1)], source="t"
    )

    assert lines_of(change) == [(knife.pk, 2, ADA), (knife.pk, 1, {})]
    assert [line.unit_price for line in change.summary.lines] == [
        Decimal("89.00"),
        Decimal("99.00"),
    ]
    with pytest.raises(PurchaseRefusedError):  # stock 5, across both lines
        services.cart_replace_lines(
            owner=owner, items=[(knife.pk, 3, ADA), (knife.pk, 3, GRACE)], source="t"
        )


def test_removing_an_engraved_line_offers_undo_with_its_properties(knife):
    owner = owner_of(add(GUEST, knife, 2, ADA))
    line_id = cart_summary(owner=owner).lines[0].id

    change = services.cart_remove_line(owner=owner, line_id=line_id, source="t")

    assert change.removed == ((knife.pk, 2, ADA),)
    restored = services.cart_add_lines(owner=owner, items=change.removed, source="t")
    assert lines_of(restored) == [(knife.pk, 2, ADA)]


# --- merge at login ---------------------------------------------------------------


def log_in(user, guest_token):
    request = RequestFactory().get("/")
    request.session = {"cart_token": guest_token}
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return request.cart_merge


def test_merge_sums_the_same_properties_and_keeps_others_apart(knife):
    user = UserFactory()
    add(CartOwner(user=user), knife, 1, ADA)
    guest = owner_of(add(GUEST, knife, 1, {"engraving": "For Ada"}))
    add(guest, knife, 1, GRACE)

    result = services.cart_merge(user=user, guest_token=guest.token, source="t")

    assert lines_of(result) == [(knife.pk, 2, ADA), (knife.pk, 1, GRACE)]
    assert result.capped == [] and result.dropped == []


def test_merge_caps_by_the_stock_all_lines_of_the_variant_hold(knife):  # stock 5
    user = UserFactory()
    add(CartOwner(user=user), knife, 4, ADA)
    guest = owner_of(add(GUEST, knife, 3, GRACE))

    result = services.cart_merge(user=user, guest_token=guest.token, source="t")

    assert lines_of(result) == [(knife.pk, 4, ADA), (knife.pk, 1, GRACE)]
    [capped] = result.capped
    assert (capped.requested, capped.kept, capped.by_stock) == (3, 1, True)


def test_merge_leaves_out_a_line_whose_properties_no_longer_fit(knife):
    user = UserFactory()
    guest = owner_of(add(GUEST, knife, 1, ADA))
    ProductLineField.objects.filter(product=knife.product).update(required=True, max_length=3)

    result = services.cart_merge(user=user, guest_token=guest.token, source="t")

    assert result.dropped == [f"{knife.product.name} ({knife.name})"]
    assert cart_summary(owner=CartOwner(user=user)).is_empty


def test_merge_at_login_joins_the_guest_note_to_the_shoppers(knife):
    user = UserFactory()
    mine = services.cart_note_set(owner=CartOwner(user=user), note="Ring twice.", source="t")
    assert mine.summary.note == "Ring twice."
    guest = owner_of(add(GUEST, knife, 1))
    services.cart_note_set(owner=guest, note="Gift, no invoice.", source="t")

    log_in(user, guest.token)

    assert cart_summary(owner=CartOwner(user=user)).note == "Ring twice.\n\nGift, no invoice."


def test_a_guest_note_alone_moves_over_and_one_too_long_to_join_wins(knife):
    user = UserFactory()
    services.cart_note_set(owner=CartOwner(user=user), note="a" * 400, source="t")
    guest = owner_of(add(GUEST, knife, 1))
    services.cart_note_set(owner=guest, note="b" * 200, source="t")

    services.cart_merge(user=user, guest_token=guest.token, source="t")

    assert cart_summary(owner=CartOwner(user=user)).note == "b" * 200


# --- the note ----------------------------------------------------------------------------


def test_a_note_is_trimmed_keeps_its_line_breaks_and_moves_the_version_on(knife):
    owner = owner_of(add(GUEST, knife, 1))
    version = cart_summary(owner=owner).version

    change = services.cart_note_set(owner=owner, note="  Leave it\r\nby the door.  ", source="t")

    assert change.summary.note == "Leave it\nby the door."
    assert change.summary.version == version + 1
    again = services.cart_note_set(owner=owner, note="Leave it\nby the door.", source="t")
    assert not again.changed and again.summary.version == version + 1


def test_a_note_counts_500_characters_with_line_breaks_as_one(knife):
    owner = owner_of(add(GUEST, knife, 1))
    note = ("x" * 99 + "\r\n") * 5  # 500 with LF, 505 as a browser posts it

    assert len(services.cart_note_set(owner=owner, note=note, source="t").summary.note) == 499

    with pytest.raises(CartNoteTooLongError) as refused:
        services.cart_note_set(owner=owner, note="y" * 501, source="t")
    assert refused.value.field == "note"
    with pytest.raises(CartNoteInvalidError):
        services.cart_note_set(owner=owner, note="nul\x00", source="t")
    assert cart_summary(owner=owner).note.startswith("x" * 99)


def test_a_note_with_a_stale_version_is_refused(knife):
    owner = owner_of(add(GUEST, knife, 1))

    with pytest.raises(CartVersionMismatchError):
        services.cart_note_set(owner=owner, note="Hi", source="t", expected_version=99)


def test_a_note_makes_a_cart_but_clearing_none_makes_nothing():
    assert not services.cart_note_set(owner=GUEST, note="  ", source="t").changed
    assert not Cart.objects.exists()

    change = services.cart_note_set(owner=GUEST, note="Hello", source="t")

    assert change.created_cart and Cart.objects.get().note == "Hello"


def test_lines_from_before_properties_read_as_none():
    line = CartLineFactory(cart=CartFactory())

    [summary] = cart_summary(owner=CartOwner(token=line.cart.token)).lines

    assert (summary.properties, summary.properties_display) == ({}, ())

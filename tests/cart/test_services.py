from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cart import services
from cart.exceptions import (
    CartFullError,
    CartVersionMismatchError,
    InvalidQuantityError,
    LineNotFoundError,
    PurchaseRefusedError,
    QuantityAboveMaximumError,
    VariantNotFoundError,
)
from cart.models import Cart, CartEvent, CartLine
from cart.selectors import CartOwner, cart_summary
from catalog.models import Product, Variant
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CategoryFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

GUEST = CartOwner()


def add(owner, variant, quantity=1):
    return services.cart_add_line(
        owner=owner, variant_id=variant.pk, quantity=quantity, source="test"
    )


def owner_of(change):
    return CartOwner(token=change.summary.token)


# --- add ---------------------------------------------------------------------


def test_first_add_creates_the_cart_with_the_line_and_an_event():
    variant = VariantFactory(price="12.50", stock_on_hand=10)

    change = add(GUEST, variant, 2)

    cart = Cart.objects.get()
    assert change.created_cart and change.summary.token == cart.token
    [line] = cart.lines.all()
    assert (line.variant, line.quantity, line.unit_price) == (variant, 2, Decimal("12.50"))
    event = CartEvent.objects.get()
    assert event.type == "item_added"
    assert event.payload["cart_value"] == "25.00"
    assert event.payload["items"][0]["quantity"] == 2
    assert event.payload["logged_in"] is False
    assert event.payload["source"] == "test"
    assert event.payload["change"]["lines"][0]["quantity_after"] == 2


def test_adding_the_same_variant_again_sums_into_one_line():
    variant = VariantFactory(stock_on_hand=10)
    owner = owner_of(add(GUEST, variant, 2))

    change = add(owner, variant, 3)

    assert [(line.variant_id, line.quantity) for line in change.summary.lines] == [(variant.pk, 5)]
    assert CartLine.objects.count() == 1


def test_an_add_above_stock_is_refused_and_changes_nothing():
    variant = VariantFactory(stock_on_hand=2)
    owner = owner_of(add(GUEST, variant, 1))

    with pytest.raises(PurchaseRefusedError) as refused:
        add(owner, variant, 2)

    assert refused.value.message == "Only 2 left in stock"
    assert refused.value.code == "insufficient_stock"
    assert refused.value.available_stock == 2
    assert CartLine.objects.get().quantity == 1
    assert CartEvent.objects.count() == 1


def test_a_refused_first_add_creates_no_cart():
    with pytest.raises(PurchaseRefusedError):
        add(GUEST, VariantFactory(stock_on_hand=0))

    assert not Cart.objects.exists()


def test_a_quantity_above_the_line_maximum_is_refused_not_cut(settings):
    settings.CART_MAX_LINE_QUANTITY = 5
    variant = VariantFactory(stock_on_hand=50)
    owner = owner_of(add(GUEST, variant, 4))

    with pytest.raises(QuantityAboveMaximumError) as refused:
        add(owner, variant, 2)

    assert "at most 5" in refused.value.message
    assert CartLine.objects.get().quantity == 4


def test_a_line_maximum_raised_above_its_first_value_is_honoured(settings):
    # The database's ceiling is fixed; raising the setting must not turn adds into errors.
    settings.CART_MAX_LINE_QUANTITY = 150
    variant = VariantFactory(stock_on_hand=500)

    change = add(GUEST, variant, 150)

    assert change.summary.lines[0].quantity == 150
    with pytest.raises(QuantityAboveMaximumError):
        add(owner_of(change), variant, 1)


def test_a_line_maximum_above_the_database_ceiling_fails_the_system_check(settings):
    from cart.apps import check_line_maximum
    from cart.models import LINE_QUANTITY_CEILING

    settings.CART_MAX_LINE_QUANTITY = LINE_QUANTITY_CEILING + 1

    assert [error.id for error in check_line_maximum()] == ["cart.E001"]


@pytest.mark.parametrize("quantity", [0, -3])
def test_a_quantity_below_one_is_refused(quantity):
    with pytest.raises(InvalidQuantityError):
        add(GUEST, VariantFactory(), quantity)


def test_unknown_and_draft_variants_are_not_found():
    draft = VariantFactory(product=ProductFactory(status=Product.Status.DRAFT, variants=0))

    for variant_id in (draft.pk, 987654321, 2**70):
        with pytest.raises(VariantNotFoundError):
            services.cart_add_line(owner=GUEST, variant_id=variant_id, source="test")


def test_archived_variants_are_refused_as_unavailable():
    archived = VariantFactory(status=Variant.Status.ARCHIVED)

    with pytest.raises(PurchaseRefusedError) as refused:
        add(GUEST, archived)

    assert refused.value.code == "unavailable"


def test_a_full_cart_refuses_a_new_line_but_not_more_of_one_it_has(settings):
    settings.CART_MAX_LINES = 2
    first, second = VariantFactory(), VariantFactory()
    owner = owner_of(add(GUEST, first))
    add(owner, second)

    with pytest.raises(CartFullError):
        add(owner, VariantFactory())
    assert add(owner, first).summary.total_items == 3


def test_bulk_add_is_all_or_nothing():
    plenty, scarce = VariantFactory(stock_on_hand=10), VariantFactory(stock_on_hand=1)

    with pytest.raises(PurchaseRefusedError):
        services.cart_add_lines(owner=GUEST, items=[(plenty.pk, 2), (scarce.pk, 2)], source="test")
    assert not CartLine.objects.exists()

    change = services.cart_add_lines(
        owner=GUEST, items=[(plenty.pk, 2), (scarce.pk, 1), (plenty.pk, 1)], source="test"
    )
    assert {(line.variant_id, line.quantity) for line in change.summary.lines} == {
        (plenty.pk, 3),
        (scarce.pk, 1),
    }


# --- set, adjust, remove, clear, replace ----------------------------------------


@pytest.fixture
def cart_with_line():
    variant = VariantFactory(stock_on_hand=5, price="10.00")
    change = add(GUEST, variant, 2)
    return owner_of(change), change.summary.lines[0].id, variant


def test_set_quantity_within_stock(cart_with_line):
    owner, line_id, _variant = cart_with_line

    change = services.cart_set_line_quantity(
        owner=owner, line_id=line_id, quantity=5, source="test"
    )

    assert change.summary.lines[0].quantity == 5
    assert CartEvent.objects.filter(type="item_updated").count() == 1


def test_raising_above_stock_is_refused_and_keeps_the_quantity(cart_with_line):
    owner, line_id, _variant = cart_with_line

    with pytest.raises(PurchaseRefusedError) as refused:
        services.cart_set_line_quantity(owner=owner, line_id=line_id, quantity=6, source="test")

    assert refused.value.message == "Only 5 left in stock"
    assert CartLine.objects.get().quantity == 2


def test_lowering_is_allowed_even_when_stock_fell_below_the_line(cart_with_line):
    owner, line_id, variant = cart_with_line
    services.cart_set_line_quantity(owner=owner, line_id=line_id, quantity=5, source="test")
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=1)

    change = services.cart_set_line_quantity(
        owner=owner, line_id=line_id, quantity=3, source="test"
    )

    assert change.summary.lines[0].quantity == 3
    assert not change.summary.is_valid


def test_setting_zero_removes_the_line(cart_with_line):
    owner, line_id, _variant = cart_with_line

    change = services.cart_set_line_quantity(
        owner=owner, line_id=line_id, quantity=0, source="test"
    )

    assert change.summary.is_empty
    assert CartEvent.objects.filter(type="item_removed").count() == 1


def test_adjust_counts_each_step_and_never_goes_below_one(cart_with_line):
    owner, line_id, _variant = cart_with_line

    for _ in range(3):
        services.cart_adjust_line_quantity(owner=owner, line_id=line_id, delta=1, source="test")
    with pytest.raises(PurchaseRefusedError):
        services.cart_adjust_line_quantity(owner=owner, line_id=line_id, delta=1, source="test")
    for _ in range(6):
        change = services.cart_adjust_line_quantity(
            owner=owner, line_id=line_id, delta=-1, source="test"
        )

    assert change.summary.lines[0].quantity == 1


def test_remove_takes_the_line_away_and_offers_undo(cart_with_line):
    owner, line_id, variant = cart_with_line

    change = services.cart_remove_line(owner=owner, line_id=line_id, source="test")

    assert change.summary.is_empty
    assert change.removed == ((variant.pk, 2, {}),)
    with pytest.raises(LineNotFoundError):
        services.cart_remove_line(owner=owner, line_id=line_id, source="test")


def test_another_shoppers_line_is_not_found(cart_with_line):
    _owner, line_id, _variant = cart_with_line
    stranger = CartOwner(user=UserFactory())

    with pytest.raises(LineNotFoundError):
        services.cart_set_line_quantity(owner=stranger, line_id=line_id, quantity=1, source="t")
    with pytest.raises(LineNotFoundError):
        services.cart_remove_line(owner=CartOwner(token="forged"), line_id=line_id, source="t")
    assert CartLine.objects.get().quantity == 2


def test_clear_empties_the_cart_and_keeps_it_open(cart_with_line):
    owner, _line_id, _variant = cart_with_line
    add(owner, VariantFactory(), 1)

    change = services.cart_clear(owner=owner, source="test")

    assert change.summary.is_empty and change.summary.exists
    assert len(change.removed) == 2
    assert Cart.objects.get().status == Cart.Status.OPEN
    assert CartEvent.objects.filter(type="cart_cleared").count() == 1
    again = services.cart_clear(owner=owner, source="test")
    assert not again.changed


def test_replace_sets_exactly_the_given_lines_keeping_old_prices(cart_with_line):
    owner, line_id, kept_variant = cart_with_line
    Variant.objects.filter(pk=kept_variant.pk).update(price="11.00")
    gone = VariantFactory()
    add(owner, gone)
    new = VariantFactory(price="3.00")

    change = services.cart_replace_lines(
        owner=owner, items=[(kept_variant.pk, 4), (new.pk, 1)], source="test"
    )

    lines = {line.variant_id: line for line in change.summary.lines}
    assert set(lines) == {kept_variant.pk, new.pk}
    assert lines[kept_variant.pk].id == line_id
    assert lines[kept_variant.pk].unit_price == Decimal("10.00")
    assert lines[kept_variant.pk].quantity == 4


def test_replace_is_all_or_nothing(cart_with_line):
    owner, _line_id, variant = cart_with_line

    with pytest.raises(VariantNotFoundError):
        services.cart_replace_lines(owner=owner, items=[(variant.pk, 1), (999999, 1)], source="t")

    assert CartLine.objects.get().quantity == 2


# --- versions ------------------------------------------------------------------


def test_version_grows_with_every_change_and_guards_stale_writes(cart_with_line):
    owner, line_id, _variant = cart_with_line
    version = cart_summary(owner=owner).version

    change = services.cart_set_line_quantity(
        owner=owner, line_id=line_id, quantity=3, source="test", expected_version=version
    )
    assert change.summary.version == version + 1

    with pytest.raises(CartVersionMismatchError):
        services.cart_set_line_quantity(
            owner=owner, line_id=line_id, quantity=4, source="test", expected_version=version
        )
    assert CartLine.objects.get().quantity == 3


# --- reading, prices, totals, validation ---------------------------------------------


def test_reading_never_creates_a_cart():
    summary = cart_summary(owner=GUEST)
    summary_for_user = cart_summary(owner=CartOwner(user=UserFactory()))

    assert summary.is_empty and not summary.exists and summary_for_user.total_items == 0
    assert not Cart.objects.exists()


def test_an_unknown_or_other_status_token_reads_as_a_fresh_empty_cart():
    expired = CartFactory(status=Cart.Status.EXPIRED)
    CartLineFactory(cart=expired)
    users_cart = CartFactory(user=UserFactory())
    CartLineFactory(cart=users_cart)

    for token in ("tampered", expired.token, users_cart.token):
        assert cart_summary(owner=CartOwner(token=token)).is_empty


def test_a_line_keeps_its_price_but_the_cart_charges_the_current_one(cart_with_line):
    owner, _line_id, variant = cart_with_line
    Variant.objects.filter(pk=variant.pk).update(price="12.00")

    summary = cart_summary(owner=owner)

    [line] = summary.lines
    assert line.unit_price == Decimal("10.00")
    assert line.current_price == Decimal("12.00")
    assert line.price_changed
    assert line.line_total == Decimal("24.00")
    assert summary.subtotal == Decimal("24.00")
    assert [issue.type for _, issue in summary.issues] == ["price_changed"]
    assert summary.is_valid


def test_totals_are_decimal_with_tax_rounded_once(settings):
    settings.TAX_RATE = Decimal("0.0825")
    owner = owner_of(add(GUEST, VariantFactory(price="19.99", stock_on_hand=9), 3))

    summary = cart_summary(owner=owner)

    assert summary.subtotal == Decimal("59.97")
    assert summary.estimated_tax == Decimal("4.95")  # 4.947525 rounded half up, once
    assert summary.total == Decimal("64.92")
    assert summary.total_items == 3


def test_tax_inclusive_prices_show_the_tax_inside_the_total(settings):
    settings.TAX_RATE = Decimal("0.20")
    settings.PRICES_INCLUDE_TAX = True
    owner = owner_of(add(GUEST, VariantFactory(price="12.00", stock_on_hand=9), 1))

    summary = cart_summary(owner=owner)

    assert (summary.subtotal, summary.estimated_tax, summary.total) == (
        Decimal("12.00"),
        Decimal("2.00"),
        Decimal("12.00"),
    )


def test_lines_that_cannot_be_bought_stay_flagged_and_count_for_nothing():
    owner = owner_of(add(GUEST, VariantFactory(price="5.00", stock_on_hand=9), 1))
    sold_out = VariantFactory(stock_on_hand=3)
    archived = VariantFactory(stock_on_hand=3)
    deleted = VariantFactory(stock_on_hand=3, price="7.00")
    scarce = VariantFactory(stock_on_hand=3, price="1.00")
    for variant in (sold_out, archived, deleted):
        add(owner, variant)
    add(owner, scarce, 3)
    Variant.objects.filter(pk=sold_out.pk).update(stock_on_hand=0)
    Variant.objects.filter(pk=archived.pk).update(status=Variant.Status.ARCHIVED)
    Variant.objects.filter(pk=scarce.pk).update(stock_on_hand=2)
    deleted.delete()

    summary = services.cart_validate(owner=owner, source="test")

    issues = {line.sku: issue for line, issue in summary.issues}
    assert issues[sold_out.sku].type == "out_of_stock"
    assert issues[archived.sku].type == "unavailable"
    assert issues[deleted.sku].type == "unavailable"
    assert issues[scarce.sku].type == "insufficient_stock"
    assert issues[scarce.sku].available_quantity == 2
    assert len(summary.lines) == 5
    assert summary.subtotal == Decimal("8.00")  # 5.00 + 3 x 1.00; the flagged lines count nothing
    assert not summary.is_valid
    deleted_line = next(line for line in summary.lines if line.sku == deleted.sku)
    assert deleted_line.product_name == deleted.product.name
    assert CartEvent.objects.filter(type="cart_validated").count() == 1


# --- database rules ----------------------------------------------------------------


def test_the_database_allows_one_open_cart_per_user():
    user = UserFactory()
    CartFactory(user=user)
    CartFactory(user=user, status=Cart.Status.MERGED)

    with pytest.raises(IntegrityError), transaction.atomic():
        CartFactory(user=user)


def test_the_database_keeps_one_line_per_variant_and_quantity_in_range():
    from cart.models import LINE_QUANTITY_CEILING

    line = CartLineFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CartLineFactory(cart=line.cart, variant=line.variant)
    for quantity in (0, LINE_QUANTITY_CEILING + 1):
        with pytest.raises(IntegrityError), transaction.atomic():
            CartLine.objects.filter(pk=line.pk).update(quantity=quantity)


# --- merge ---------------------------------------------------------------------------


@pytest.fixture
def shopper():
    return UserFactory()


def merge(user, token):
    return services.cart_merge(user=user, guest_token=token, source="test")


def test_merging_an_empty_or_unknown_guest_cart_changes_nothing(shopper):
    empty = CartFactory()

    assert not merge(shopper, empty.token).changed
    assert not merge(shopper, "nonsense").changed
    assert not merge(shopper, None).changed
    assert not Cart.objects.filter(user=shopper).exists()
    assert not CartEvent.objects.exists()


def test_merging_disjoint_carts_keeps_both_lines(shopper):
    mine, theirs = VariantFactory(), VariantFactory()
    add(CartOwner(user=shopper), mine, 1)
    guest = owner_of(add(GUEST, theirs, 2))

    result = merge(shopper, guest.token)

    assert {(line.variant_id, line.quantity) for line in result.summary.lines} == {
        (mine.pk, 1),
        (theirs.pk, 2),
    }
    assert Cart.objects.get(token=guest.token).status == Cart.Status.MERGED
    event = CartEvent.objects.get(type="cart_merged")
    assert event.user == shopper and event.payload["change"]["joined"]
    assert "added to your cart" in result.message


def test_merging_sums_the_same_variant(shopper):
    variant = VariantFactory(stock_on_hand=20)
    add(CartOwner(user=shopper), variant, 2)
    guest = owner_of(add(GUEST, variant, 3))

    result = merge(shopper, guest.token)

    assert [(line.variant_id, line.quantity) for line in result.summary.lines] == [(variant.pk, 5)]
    assert not result.capped


def test_merging_caps_at_stock_and_says_so(shopper):
    variant = VariantFactory(stock_on_hand=4, name="Red")
    add(CartOwner(user=shopper), variant, 3)
    guest = owner_of(add(GUEST, variant, 3))

    result = merge(shopper, guest.token)

    assert result.summary.lines[0].quantity == 4
    assert [(c.requested, c.kept) for c in result.capped] == [(6, 4)]
    assert "only 4 left in stock. Quantity adjusted." in result.message


def test_merging_caps_at_the_line_maximum(shopper, settings):
    settings.CART_MAX_LINE_QUANTITY = 5
    variant = VariantFactory(stock_on_hand=50)
    add(CartOwner(user=shopper), variant, 4)
    guest = owner_of(add(GUEST, variant, 4))

    result = merge(shopper, guest.token)

    assert result.summary.lines[0].quantity == 5
    assert result.capped[0].kept == 5
    assert "at most 5 of one item. Quantity adjusted." in result.message


def test_merging_into_a_user_without_a_cart_moves_the_lines(shopper):
    variant = VariantFactory()
    guest = owner_of(add(GUEST, variant, 2))

    result = merge(shopper, guest.token)

    assert result.summary.is_owned_by_user
    assert Cart.objects.get(user=shopper, status="open").lines.get().quantity == 2


def test_a_guest_cart_merges_only_once(shopper):
    guest = owner_of(add(GUEST, VariantFactory(stock_on_hand=10), 2))

    merge(shopper, guest.token)
    second = merge(shopper, guest.token)

    assert not second.changed
    assert Cart.objects.get(user=shopper).lines.get().quantity == 2


def test_category_name_travels_in_the_event_payload():
    variant = VariantFactory(
        product=ProductFactory(category=CategoryFactory(name="Kitchen"), variants=0)
    )

    add(GUEST, variant)

    assert CartEvent.objects.get().payload["items"][0]["category"] == "Kitchen"

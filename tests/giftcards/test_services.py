"""Gift cards' rules through the shop's own services: staff changes, and paying with cards
at checkout (held, redeemed, released, refunded), each with its ledger row."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum
from django.utils import timezone

from checkout import services as checkout
from checkout.claims import ClaimsRequest
from checkout.models import Order
from giftcards import services
from giftcards.exceptions import (
    GiftCardAdjustError,
    GiftCardAmountError,
    GiftCardBalanceError,
    GiftCardForGiftCardError,
    GiftCardInvalidError,
    GiftCardReasonRequiredError,
)
from giftcards.models import GiftCard, GiftCardEntry, GiftCardHold
from tests.factories import StaffFactory, gift_card, gift_card_variant
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


def card_of(issued) -> GiftCard:
    return GiftCard.objects.get(pk=issued.card.pk)


def kinds(issued) -> list[str]:
    return list(
        GiftCardEntry.objects.filter(card_id=issued.card.pk).values_list("kind", flat=True)
    )


def assert_ledger_adds_up(issued) -> None:
    card = card_of(issued)
    sums = GiftCardEntry.objects.filter(card=card).aggregate(
        balance=Sum("amount"), held=Sum("held_change")
    )
    assert (sums["balance"], sums["held"]) == (card.balance, card.held)
    assert card.balance >= card.held >= 0


def pay(order) -> Order:
    return checkout.local_payment_complete(order_id=order.pk, succeed=True)


def test_issuing_writes_the_first_ledger_row():
    staff = StaffFactory()

    issued = gift_card("50.00", note="a thank-you", user=staff)

    assert issued.card.balance == Decimal("50.00")
    [entry] = GiftCardEntry.objects.filter(card=issued.card)
    assert (entry.kind, entry.amount, entry.reason, entry.user) == (
        "issued",
        Decimal("50.00"),
        "a thank-you",
        staff,
    )


@pytest.mark.parametrize("amount", ["0", "-5", "10000.01"])
def test_a_card_is_worth_more_than_nothing_and_not_a_fortune(amount):
    with pytest.raises(GiftCardAmountError):
        gift_card(amount)
    assert not GiftCard.objects.exists()


def test_staff_adjust_a_balance_with_a_reason_never_below_what_is_held(variant):
    issued = gift_card("100.00")
    start(guest_cart((variant, 3)), claims=ClaimsRequest(gift_cards=(issued.code,)))
    assert card_of(issued).held == Decimal("100.00")  # of an order of 120.00

    with pytest.raises(GiftCardReasonRequiredError):
        services.gift_card_adjust(card_id=issued.card.pk, amount=Decimal("5"), reason=" ")
    with pytest.raises(GiftCardAdjustError):
        services.gift_card_adjust(card_id=issued.card.pk, amount=Decimal("-1"), reason="oops")
    services.gift_card_adjust(card_id=issued.card.pk, amount=Decimal("20"), reason="goodwill")
    card = services.gift_card_adjust(
        card_id=issued.card.pk, amount=Decimal("-5.00"), reason="goodwill taken back"
    )

    assert (card.balance, card.held, card.available) == (
        Decimal("115.00"),
        Decimal("100.00"),
        Decimal("15.00"),
    )
    assert kinds(issued) == ["issued", "held", "adjusted", "adjusted"]
    assert GiftCardEntry.objects.filter(kind="adjusted").last().reason == "goodwill taken back"
    assert_ledger_adds_up(issued)


def test_a_card_pays_part_the_rest_is_due_and_paying_redeems_the_hold(variant):
    issued = gift_card("30.00")

    order = start(
        guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code.lower(),))
    ).order

    assert (order.total, order.gift_card_total, order.amount_due) == (
        Decimal("45.00"),
        Decimal("30.00"),
        Decimal("15.00"),
    )
    assert order.claims[0]["reference"] == issued.masked
    assert card_of(issued).available == Decimal("0.00")
    pay(order)
    card = card_of(issued)
    assert (card.balance, card.held) == (Decimal("0.00"), Decimal("0.00"))
    assert kinds(issued) == ["issued", "held", "redeemed"]
    assert GiftCardHold.objects.get().status == "redeemed"
    assert_ledger_adds_up(issued)


def test_several_cards_each_pay_what_is_left_and_cover_the_order_without_a_payment(variant):
    first, second = gift_card("30.00"), gift_card("100.00")

    started = start(
        guest_cart((variant, 2)),  # 80.00, shipping free over 75.00
        claims=ClaimsRequest(gift_cards=(first.code, second.code)),
    )

    order = started.order
    assert order.status == Order.Status.PAID
    assert [c["amount"] for c in order.claims] == ["30.00", "50.00"]
    assert (card_of(first).balance, card_of(second).balance) == (
        Decimal("0.00"),
        Decimal("50.00"),
    )
    assert "/checkout/success/?order=" in started.payment_url
    assert_ledger_adds_up(second)


@pytest.mark.parametrize(
    "end",
    [
        lambda order, owner: checkout.order_cancel(order_id=order.pk, reason="abandoned"),
        lambda order, owner: checkout.orders_expire_due(
            now=order.expires_at + timedelta(seconds=1)
        ),
        lambda order, owner: start(owner),
        lambda order, owner: checkout.local_payment_complete(order_id=order.pk, succeed=False),
    ],
    ids=["cancelled", "expired", "replaced", "payment failed"],
)
def test_an_order_ending_unpaid_gives_the_held_amount_back(variant, end):
    issued = gift_card("30.00")
    owner = guest_cart((variant, 1))
    order = start(owner, claims=ClaimsRequest(gift_cards=(issued.code,))).order

    end(order, owner)

    card = card_of(issued)
    assert (card.balance, card.held, card.available) == (
        Decimal("30.00"),
        Decimal("0.00"),
        Decimal("30.00"),
    )
    assert kinds(issued) == ["issued", "held", "released"]
    assert_ledger_adds_up(issued)


def test_a_refund_puts_the_cards_part_back_first(variant):
    issued = gift_card("30.00")
    order = pay(
        start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,))).order
    )

    checkout.order_refund(order_id=order.pk)
    checkout.order_refund(order_id=order.pk)

    assert card_of(issued).balance == Decimal("30.00")
    assert kinds(issued) == ["issued", "held", "redeemed", "refunded"]
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED
    assert_ledger_adds_up(issued)


def test_a_card_with_nothing_left_is_a_conflict_naming_it_and_nothing_is_held(variant):
    issued = gift_card("30.00")
    start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,)))

    with pytest.raises(GiftCardBalanceError) as refused:
        start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,)))

    assert refused.value.http_status == 409
    assert issued.masked in refused.value.message
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    "spoil",
    [
        lambda card: GiftCard.objects.filter(pk=card.pk).update(disabled=True),
        lambda card: GiftCard.objects.filter(pk=card.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        ),
        lambda card: GiftCard.objects.filter(pk=card.pk).update(code_hash="0" * 64),
    ],
    ids=["disabled", "expired", "unknown"],
)
def test_disabled_expired_and_unknown_cards_do_not_pay_and_answer_alike(variant, spoil):
    issued = gift_card("30.00")
    spoil(issued.card)

    with pytest.raises(GiftCardInvalidError) as refused:
        start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,)))

    assert refused.value.message == (
        f"We could not find a gift card with that code (ending {issued.code[-4:]})."
    )
    assert not Order.objects.exists()


def test_gift_cards_never_pay_for_gift_cards(variant):
    issued = gift_card("100.00")
    cards = gift_card_variant("25.00")
    properties = {"recipient_email": "friend@example.com"}
    from cart import services as cart_services
    from cart.selectors import CartOwner

    change = cart_services.cart_add_line(
        owner=CartOwner(), variant_id=cards.pk, quantity=4, properties=properties, source="test"
    )
    only_cards = CartOwner(token=change.summary.token)  # 100.00, shipping free over 75.00
    with pytest.raises(GiftCardForGiftCardError):
        start(only_cards, claims=ClaimsRequest(gift_cards=(issued.code,)))

    cart_services.cart_add_line(owner=only_cards, variant_id=variant.pk, source="test")
    order = start(only_cards, claims=ClaimsRequest(gift_cards=(issued.code,))).order

    # 4 × 25.00 in gift cards + 40.00: the card pays all but the gift cards.
    assert (order.total, order.gift_card_total, order.amount_due) == (
        Decimal("140.00"),
        Decimal("40.00"),
        Decimal("100.00"),
    )
    assert GiftCard.objects.get(pk=issued.card.pk).available == Decimal("60.00")


def test_a_paid_gift_card_line_issues_one_card_per_unit_emailed_once_and_listed_for_the_buyer(
    django_capture_on_commit_callbacks,
):
    from cart import services as cart_services
    from cart.selectors import CartOwner

    cards = gift_card_variant("25.00")
    change = cart_services.cart_add_line(
        owner=CartOwner(),
        variant_id=cards.pk,
        quantity=2,
        properties={"recipient_email": "friend@example.com", "message": "Happy birthday!"},
        source="test",
    )
    order = start(CartOwner(token=change.summary.token)).order

    with django_capture_on_commit_callbacks(execute=True):
        pay(order)
    with django_capture_on_commit_callbacks(execute=True):
        checkout.order_mark_paid(order_id=order.pk)  # a second payment event: nothing more

    issued = list(GiftCard.objects.filter(order_id=order.pk).order_by("unit"))
    assert [(c.balance, c.recipient_email, c.message) for c in issued] == [
        (Decimal("25.00"), "friend@example.com", "Happy birthday!")
    ] * 2
    gift_mails = [m for m in mail.outbox if m.to == ["friend@example.com"]]
    assert len(gift_mails) == 2
    for message in gift_mails:
        assert "Happy birthday!" in message.body
    codes = {services.gift_card_code(card) for card in issued}
    assert all(any(code in m.body for m in gift_mails) for code in codes)
    [confirmation] = [m for m in mail.outbox if m.to == ["grace@example.com"]]
    for card in issued:
        assert f"Gift card •••• {card.last_four}: sent to its recipient" in confirmation.body
        assert services.gift_card_code(card) not in confirmation.body
    line = order.lines.get()
    assert line.issued == [f"•••• {c.last_four}" for c in issued]


def test_a_gift_card_line_without_a_valid_recipient_sends_the_card_to_the_buyer(
    django_capture_on_commit_callbacks,
):
    from cart.models import CartLine

    cards = gift_card_variant("10.00")
    from cart import services as cart_services
    from cart.selectors import CartOwner

    change = cart_services.cart_add_line(
        owner=CartOwner(),
        variant_id=cards.pk,
        properties={"recipient_email": "not an address"},
        source="test",
    )
    assert CartLine.objects.count() == 1
    order = start(CartOwner(token=change.summary.token)).order
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)

    assert GiftCard.objects.get().recipient_email == "grace@example.com"


def test_a_late_payment_for_a_card_spent_meanwhile_is_refunded_and_the_card_never_negative(
    variant, django_capture_on_commit_callbacks
):
    issued = gift_card("45.00")
    first = start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,)))
    assert first.order.status == Order.Status.PAID  # the card paid all of it
    checkout.order_refund(order_id=first.order.pk)  # back on the card
    late = start(guest_cart((variant, 2)), claims=ClaimsRequest(gift_cards=(issued.code,))).order
    checkout.orders_expire_due(now=late.expires_at + timedelta(seconds=1))  # released
    start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,)))  # spent

    with django_capture_on_commit_callbacks(execute=True):
        checkout.order_mark_paid(order_id=late.pk, payment_intent="pi_late")

    late.refresh_from_db()
    assert late.status == Order.Status.REFUNDED  # the payment went back
    assert late.history.filter(note__startswith="paid after gift card").exists()
    card = card_of(issued)
    assert (card.balance, card.held) == (Decimal("0.00"), Decimal("0.00"))
    assert_ledger_adds_up(issued)


def test_the_demo_seed_sells_gift_cards_asking_for_the_recipient():
    from django.core.management import call_command

    from giftcards.models import GiftCardVariant

    call_command("seed_demo")
    call_command("seed_demo")

    sold = GiftCardVariant.objects.select_related("variant__product")
    assert sorted(str(g.variant.price) for g in sold) == ["100.00", "25.00", "50.00"]
    product = sold[0].variant.product
    assert product.slug == "gift-card" and product.images.exists()
    assert product.line_fields.get(key="recipient_email").required

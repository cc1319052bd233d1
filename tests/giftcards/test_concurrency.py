"""Gift card balances under concurrency, on PostgreSQL with real threads: spent exactly
once, never negative, and the ledger always adds up to the card."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from checkout import services as checkout
from checkout.claims import ClaimsRequest
from checkout.models import Order
from giftcards import services
from giftcards.exceptions import GiftCardAdjustError
from giftcards.models import GiftCard, GiftCardEntry, GiftCardHold
from tests.factories import VariantFactory, gift_card
from tests.helpers import guest_cart, run_at_once, start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_tax(settings, shipping_methods):
    settings.TAX_RATE = Decimal("0")


def assert_ledger_adds_up(card_id: int) -> GiftCard:
    card = GiftCard.objects.get(pk=card_id)
    sums = GiftCardEntry.objects.filter(card=card).aggregate(
        balance=Sum("amount"), held=Sum("held_change")
    )
    assert (sums["balance"], sums["held"]) == (card.balance, card.held)
    assert card.balance >= card.held >= 0
    held = GiftCardHold.objects.filter(card=card, status="held").aggregate(s=Sum("amount"))["s"]
    assert (held or 0) == card.held
    return card


def test_two_checkouts_spending_a_cards_whole_balance_one_gets_it_the_other_a_409():
    variant = VariantFactory(price="40.00", stock_on_hand=20)
    issued = gift_card("45.00")  # one order's whole total
    carts = [guest_cart((variant, 1)) for _ in range(2)]

    errors = run_at_once(
        2, lambda i: start(carts[i], claims=ClaimsRequest(gift_cards=(issued.code,)))
    )
    connection.close()

    [paid] = Order.objects.all()
    assert paid.status == Order.Status.PAID and paid.gift_card_total == Decimal("45.00")
    [refused] = errors
    assert (refused.code, refused.http_status) == ("gift_card_balance_insufficient", 409)
    assert issued.masked in refused.message
    card = assert_ledger_adds_up(issued.card.pk)
    assert card.balance == Decimal("0.00")


def test_many_checkouts_on_one_card_hold_no_more_than_it_has():
    variant = VariantFactory(price="40.00", stock_on_hand=50)
    issued = gift_card("100.00")
    carts = [guest_cart((variant, 2)) for _ in range(6)]  # 80.00 each

    errors = run_at_once(
        6, lambda i: start(carts[i], claims=ClaimsRequest(gift_cards=(issued.code,)))
    )
    connection.close()

    held = GiftCardHold.objects.aggregate(s=Sum("amount"))["s"]
    assert held == Decimal("100.00")  # 80.00 paid at once, 20.00 held by the next
    assert len(errors) == 4
    assert {e.code for e in errors} == {"gift_card_balance_insufficient"}
    assert assert_ledger_adds_up(issued.card.pk).available == 0


def test_a_card_used_while_staff_adjust_it_stays_consistent():
    variant = VariantFactory(price="40.00", stock_on_hand=50)
    issued = gift_card("60.00")
    carts = [guest_cart((variant, 1)) for _ in range(3)]  # 45.00 each

    def work(i):
        if i < 3:
            start(carts[i], claims=ClaimsRequest(gift_cards=(issued.code,)))
        else:
            services.gift_card_adjust(
                card_id=issued.card.pk, amount=Decimal("-30.00"), reason="correction"
            )

    errors = run_at_once(4, work)
    connection.close()

    card = assert_ledger_adds_up(issued.card.pk)
    assert {getattr(e, "code", repr(e)) for e in errors} <= {
        "gift_card_balance_insufficient",
        GiftCardAdjustError.code,
    }
    adjusted = GiftCardEntry.objects.filter(card=card, kind="adjusted").exists()
    spent = (
        GiftCardEntry.objects.filter(card=card, kind__in=["redeemed"]).aggregate(s=Sum("amount"))[
            "s"
        ]
        or 0
    )
    assert card.balance == Decimal("60.00") + spent - (Decimal("30.00") if adjusted else 0)


@pytest.mark.parametrize("rounds", range(3))
def test_payment_and_expiry_racing_for_a_held_amount_spend_it_exactly_once(rounds):
    variant = VariantFactory(price="40.00", stock_on_hand=10)
    issued = gift_card("30.00")
    order = start(guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=(issued.code,))).order
    later = order.expires_at + timedelta(seconds=1)

    def work(i):
        if i == 0:
            checkout.order_mark_paid(order_id=order.pk, payment_intent="pi_race")
        else:
            checkout.orders_expire_due(now=later)

    errors = run_at_once(2, work)
    connection.close()

    assert errors == []
    order.refresh_from_db()
    card = assert_ledger_adds_up(issued.card.pk)
    # Whichever came first, the payment stands (a late payment re-takes the released
    # amount, which nobody else took meanwhile): spent once, never twice.
    assert order.status == Order.Status.PAID
    assert card.balance == Decimal("0.00") and card.held == Decimal("0.00")
    assert GiftCardEntry.objects.filter(card=card, kind="redeemed").count() == 1

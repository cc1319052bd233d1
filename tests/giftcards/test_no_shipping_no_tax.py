"""A gift card is emailed and not taxed when sold: an order of only gift cards is charged
neither shipping nor tax, and a mixed order is taxed on the rest only."""

from decimal import Decimal

import pytest

from cart import services as cart_services
from cart.selectors import CartOwner
from checkout.claims import ClaimsRequest
from giftcards.exceptions import GiftCardForGiftCardError
from tests.factories import gift_card, gift_card_variant
from tests.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tax(settings):
    settings.TAX_RATE = Decimal("0.10")


def cart_of(*lines) -> CartOwner:
    owner = CartOwner()
    for variant, properties in lines:
        token = cart_services.cart_add_line(
            owner=owner, variant_id=variant.pk, properties=properties, source="test"
        ).summary.token
        owner = CartOwner(token=token)
    return owner


CARD = {"recipient_email": "friend@example.com"}


def test_a_gift_card_alone_costs_its_price(variant):
    order = start(cart_of((gift_card_variant("50.00"), CARD))).order

    assert (order.shipping_total, order.tax_total, order.total) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("50.00"),
    )


def test_a_gift_card_beside_merchandise_is_not_taxed_and_the_parcel_is_shipped(variant):
    order = start(cart_of((gift_card_variant("25.00"), CARD), (variant, {}))).order

    # $40 of merchandise and $5 of shipping are taxed (10%), the $25 card is not.
    assert (order.shipping_total, order.tax_total, order.total) == (
        Decimal("5.00"),
        Decimal("4.50"),
        Decimal("74.50"),
    )


def test_a_card_cannot_pay_the_shipping_of_a_gift_card_only_order(variant):
    owner = cart_of((gift_card_variant("50.00"), CARD))

    with pytest.raises(GiftCardForGiftCardError):
        start(owner, claims=ClaimsRequest(gift_cards=(gift_card("100.00").code,)))


def test_a_variant_made_a_gift_card_is_neither_shipped_nor_taxed_and_back_when_it_stops(
    variant,
):
    from giftcards.models import GiftCardVariant

    GiftCardVariant.objects.create(variant=variant)
    variant.refresh_from_db()
    assert (variant.requires_shipping, variant.taxable) == (False, False)

    GiftCardVariant.objects.filter(variant=variant).delete()
    variant.refresh_from_db()
    assert (variant.requires_shipping, variant.taxable) == (True, True)

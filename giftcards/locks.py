"""Gift cards' row locks, lowest id first. The shop's one lock order is in shop/locks.py:
after promo codes, before points accounts and variants."""

from collections.abc import Iterable

from giftcards.models import GiftCard

MAX_ID = 2**63 - 1


def lock_gift_cards(card_ids: Iterable[int]) -> dict[int, GiftCard]:
    """Lock the cards with these ids, lowest id first; return them by id (ids no card can
    have, such as one past PostgreSQL's bigint, are simply not found)."""
    card_ids = [pk for pk in card_ids if 0 < pk <= MAX_ID]
    cards = GiftCard.objects.select_for_update().filter(pk__in=set(card_ids)).order_by("pk")
    return {card.pk: card for card in cards}

"""Reading gift cards: by code (for shoppers), and which variants are gift cards."""

from collections.abc import Iterable

from django.utils import timezone

from giftcards.codes import code_hash, code_normalize
from giftcards.exceptions import GiftCardNotFoundError
from giftcards.models import GiftCard, GiftCardVariant


def gift_card_by_code(code: str) -> GiftCard | None:
    """The card a typed code names, usable or not; None when no card has it."""
    normalized = code_normalize(code)
    if not normalized:
        return None
    return GiftCard.objects.filter(code_hash=code_hash(normalized)).first()


def gift_card_get(*, code: str) -> GiftCard:
    """The usable card a typed code names, for its balance. Unknown, disabled, expired and
    foreign-currency cards answer alike: raises GiftCardNotFoundError."""
    card = gift_card_by_code(code)
    if card is None or not card.is_usable(timezone.now()):
        raise GiftCardNotFoundError()
    return card


def gift_card_variant_ids(variant_ids: Iterable[int | None]) -> set[int]:
    """Which of these variants are sold as gift cards."""
    wanted = {pk for pk in variant_ids if pk is not None}
    if not wanted:
        return set()
    return set(
        GiftCardVariant.objects.filter(variant_id__in=wanted).values_list("variant_id", flat=True)
    )

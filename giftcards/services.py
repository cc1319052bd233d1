"""Gift cards: issuing, staff changes, and the holds checkout asks for through its signals
(held at checkout start, redeemed when the order is paid, released when it ends unpaid,
refunded with it). Every change writes a ledger row; cards are locked through
giftcards/locks.py, lowest id first, after orders and promo codes (shop/locks.py).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout.claims import TENDER, Claim, ClaimLine
from checkout.services import order_line_issued_record
from giftcards.codes import (
    code_for,
    code_grouped,
    code_hash,
    code_normalize,
    masked,
    seed_new,
    typed_last_four,
)
from giftcards.exceptions import (
    GiftCardAdjustError,
    GiftCardAmountError,
    GiftCardBalanceError,
    GiftCardForGiftCardError,
    GiftCardInvalidError,
    GiftCardNotFoundError,
    GiftCardReasonRequiredError,
)
from giftcards.locks import lock_gift_cards
from giftcards.models import GiftCard, GiftCardEntry, GiftCardHold, GiftCardVariant
from giftcards.selectors import gift_card_variant_ids
from shop.money import ZERO, quantize_money
from shop.outbox import task_send_after_commit

logger = logging.getLogger(__name__)

SEND_TASK = "giftcards.tasks.gift_card_send_task"
SOURCE = "gift_card"
MAX_AMOUNT = Decimal("10000.00")


@dataclass(frozen=True)
class IssuedGiftCard:
    card: GiftCard
    code: str  # grouped by four: the only time the whole code is handed out

    @property
    def masked(self) -> str:
        return self.card.masked_code


def _entry(card: GiftCard, kind: str, *, amount=ZERO, held=ZERO, order=None, **extra) -> None:
    GiftCardEntry.objects.create(
        card=card,
        kind=kind,
        amount=amount,
        held_change=held,
        balance_after=card.balance,
        order_id=order.pk if order is not None else extra.pop("order_id", None),
        order_number=order.number if order is not None else extra.pop("order_number", ""),
        **extra,
    )


def _checked_amount(amount: Decimal) -> Decimal:
    amount = quantize_money(amount)
    if not ZERO < amount <= MAX_AMOUNT:
        raise GiftCardAmountError()
    return amount


@transaction.atomic
def gift_card_issue(
    *,
    balance: Decimal,
    expires_at: datetime | None = None,
    note: str = "",
    user=None,
    recipient_email: str = "",
    message: str = "",
    order=None,
    order_line_id: int | None = None,
    unit: int = 0,
) -> IssuedGiftCard:
    """Issue a card with a fresh code worth `balance` (staff, or a paid order line's unit),
    with its first ledger row. Raises GiftCardAmountError."""
    balance = _checked_amount(balance)
    while True:
        seed = seed_new()
        code = code_for(seed)
        try:
            with transaction.atomic():
                card = GiftCard.objects.create(
                    code_hash=code_hash(code),
                    seed=seed,
                    last_four=code[-4:],
                    balance=balance,
                    expires_at=expires_at,
                    note=note[:200],
                    recipient_email=recipient_email,
                    message=message[:500],
                    order_id=order.pk if order is not None else None,
                    order_number=order.number if order is not None else "",
                    order_line_id=order_line_id,
                    unit=unit,
                )
        except IntegrityError:
            if (
                order_line_id is not None
                and GiftCard.objects.filter(order_line_id=order_line_id, unit=unit).exists()
            ):
                raise
            continue  # the same code twice: one chance in 2**77, draw again
        break
    _entry(
        card, GiftCardEntry.Kind.ISSUED, amount=balance, order=order, reason=note[:200], user=user
    )
    return IssuedGiftCard(card=card, code=code_grouped(code))


@transaction.atomic
def gift_card_disable(*, card_id: int, disabled: bool, user=None) -> GiftCard:
    """Disable a card (it no longer pays; holds already made stay) or enable it again.
    Raises GiftCardNotFoundError."""
    card = lock_gift_cards([card_id]).get(card_id)
    if card is None:
        raise GiftCardNotFoundError()
    if card.disabled != disabled:
        card.disabled = disabled
        card.save(update_fields=["disabled", "updated_at"])
        kind = GiftCardEntry.Kind.DISABLED if disabled else GiftCardEntry.Kind.ENABLED
        _entry(card, kind, user=user)
    return card


@transaction.atomic
def gift_card_adjust(*, card_id: int, amount: Decimal, reason: str, user=None) -> GiftCard:
    """Add to (or, negative, take from) a card's balance, saying why, under its lock: never
    below what open checkouts hold. Raises GiftCardNotFoundError, GiftCardReasonRequiredError,
    GiftCardAmountError, GiftCardAdjustError."""
    reason = (reason or "").strip()
    if not reason:
        raise GiftCardReasonRequiredError()
    amount = quantize_money(amount)
    if amount == 0 or abs(amount) > MAX_AMOUNT:
        raise GiftCardAmountError()
    card = lock_gift_cards([card_id]).get(card_id)
    if card is None:
        raise GiftCardNotFoundError()
    if card.balance + amount < card.held or card.balance + amount > MAX_AMOUNT:
        raise GiftCardAdjustError(card.balance, card.held, card.currency)
    card.balance += amount
    card.save(update_fields=["balance", "updated_at"])
    _entry(card, GiftCardEntry.Kind.ADJUSTED, amount=amount, reason=reason[:200], user=user)
    return card


def _cards_asked(codes) -> list[tuple[str, GiftCard]]:
    """The cards behind the typed codes, once each, in the order typed. Raises
    GiftCardInvalidError naming the first code no card has."""
    found, seen = [], set()
    for typed in codes:
        normalized = code_normalize(typed)
        card = (
            GiftCard.objects.filter(code_hash=code_hash(normalized)).first()
            if normalized
            else None
        )
        if card is None:
            raise GiftCardInvalidError(typed_last_four(typed))
        if card.pk not in seen:
            seen.add(card.pk)
            found.append((typed, card))
    return found


def gift_cards_hold(*, order, codes, room: Decimal, lines: tuple[ClaimLine, ...]) -> list[Claim]:
    """What the typed cards pay of an order: each min(what it can still spend, what is left),
    never for gift card lines. With an order (inside its checkout's transaction) the amounts
    are held under the cards' locks and written to the ledger; without one it only prices.
    Raises GiftCardInvalidError (unknown, disabled, expired), GiftCardBalanceError (nothing
    left on it), GiftCardForGiftCardError (only gift cards to pay for)."""
    asked = _cards_asked(codes)
    if not asked:
        return []
    gift_lines = gift_card_variant_ids(line.variant_id for line in lines)
    payable = room - sum((line.amount for line in lines if line.variant_id in gift_lines), ZERO)
    if payable <= 0:
        raise GiftCardForGiftCardError()
    if order is not None:
        locked = lock_gift_cards(card.pk for _, card in asked)
        asked = [(typed, locked[card.pk]) for typed, card in asked]
    now = timezone.now()
    claims, left = [], payable
    for typed, card in asked:
        if not card.is_usable(now):
            raise GiftCardInvalidError(typed_last_four(typed))
        if card.available <= 0:
            raise GiftCardBalanceError(card.masked_code)
        amount = min(card.available, left)
        if amount <= 0:
            continue  # the cards before it pay everything already
        left -= amount
        claims.append(
            Claim(
                kind=TENDER, source=SOURCE, reference=card.masked_code, amount=amount, code=typed
            )
        )
        if order is not None:
            card.held += amount
            card.save(update_fields=["held", "updated_at"])
            GiftCardHold.objects.create(
                card=card, order_id=order.pk, order_number=order.number, amount=amount
            )
            _entry(card, GiftCardEntry.Kind.HELD, held=amount, order=order)
    return claims


def _holds_locked(order, statuses) -> tuple[list[GiftCardHold], dict[int, GiftCard]]:
    card_ids = GiftCardHold.objects.filter(order_id=order.pk).values_list("card_id", flat=True)
    cards = lock_gift_cards(card_ids)
    holds = list(GiftCardHold.objects.filter(order_id=order.pk, status__in=statuses))
    return holds, cards


def gift_card_holds_take(*, order) -> str | None:
    """Spend what an order holds of its cards as it is paid (inside its payment's
    transaction). A hold released meanwhile (paid after it was cancelled) is spent again only
    if the card still has it; else says which card could not pay, and the payment is
    refunded (checkout undoes what was taken). Taking twice spends nothing more."""
    Status = GiftCardHold.Status
    holds, cards = _holds_locked(order, [Status.HELD, Status.RELEASED])
    for hold in holds:
        card = cards[hold.card_id]
        if hold.status == Status.HELD:
            card.held -= hold.amount
            held_change = -hold.amount
        elif card.available >= hold.amount and not card.disabled:
            held_change = ZERO
        else:
            return f"gift card {card.masked_code} no longer had {hold.amount}"
        card.balance -= hold.amount
        card.save(update_fields=["balance", "held", "updated_at"])
        hold.status = Status.REDEEMED
        hold.save(update_fields=["status", "updated_at"])
        _entry(
            card, GiftCardEntry.Kind.REDEEMED, amount=-hold.amount, held=held_change, order=order
        )
    return None


def gift_card_holds_release(*, order, reason: str) -> int:
    """Give back what an order that ended unpaid holds of its cards; returns how many holds.
    Releasing twice gives nothing more."""
    holds, cards = _holds_locked(order, [GiftCardHold.Status.HELD])
    for hold in holds:
        card = cards[hold.card_id]
        card.held -= hold.amount
        card.save(update_fields=["held", "updated_at"])
        hold.status = GiftCardHold.Status.RELEASED
        hold.save(update_fields=["status", "updated_at"])
        _entry(card, GiftCardEntry.Kind.RELEASED, held=-hold.amount, order=order, reason=reason)
    return len(holds)


def gift_card_holds_refund(*, order) -> int:
    """Put back on its cards what a refunded order spent (before the payment provider gives
    back the rest); returns how many. Refunding twice puts nothing more back."""
    holds, cards = _holds_locked(order, [GiftCardHold.Status.REDEEMED])
    for hold in holds:
        card = cards[hold.card_id]
        card.balance += hold.amount
        card.save(update_fields=["balance", "updated_at"])
        hold.status = GiftCardHold.Status.REFUNDED
        hold.save(update_fields=["status", "updated_at"])
        _entry(card, GiftCardEntry.Kind.REFUNDED, amount=hold.amount, order=order)
    return len(holds)


def gift_cards_issue_for_order(*, order) -> list[IssuedGiftCard]:
    """Issue the gift cards a just-paid order bought, one per unit of each gift card line,
    worth the unit's price; each is emailed to its recipient once the payment commits, and
    the line notes the cards by their last four for the buyer. Issuing twice issues nothing
    more (one card per line and unit)."""
    lines = list(order.lines.all())
    kinds = {
        gift.variant_id: gift
        for gift in GiftCardVariant.objects.filter(
            variant_id__in=[line.variant_id for line in lines if line.variant_id]
        )
    }
    issued = []
    for line in lines:
        gift = kinds.get(line.variant_id)
        if gift is None:
            continue
        existing = set(
            GiftCard.objects.filter(order_line_id=line.pk).values_list("unit", flat=True)
        )
        properties = line.properties or {}
        for unit in range(line.quantity):
            if unit in existing:
                continue
            card = gift_card_issue(
                balance=line.unit_price,
                expires_at=(
                    timezone.now() + timedelta(days=gift.expires_after_days)
                    if gift.expires_after_days
                    else None
                ),
                note=f"bought with order {order.number}",
                recipient_email=_recipient(properties.get("recipient_email", ""), order.email),
                message=properties.get("message", ""),
                order=order,
                order_line_id=line.pk,
                unit=unit,
            )
            issued.append(card)
            task_send_after_commit(SEND_TASK, card_id=card.card.pk)
        masks = [
            masked(last_four)
            for last_four in GiftCard.objects.filter(order_line_id=line.pk)
            .order_by("unit")
            .values_list("last_four", flat=True)
        ]
        order_line_issued_record(line_id=line.pk, issued=masks)
    return issued


def _recipient(typed: str, buyer: str) -> str:
    """The recipient's email as the line says, else the buyer's (a card is never lost)."""
    typed = (typed or "").strip()
    try:
        validate_email(typed)
    except ValidationError:
        return buyer
    return typed


def gift_card_code(card: GiftCard) -> str | None:
    """The card's whole code, grouped by four, for its email; None when it cannot be
    derived (the shop's secret key changed since it was issued)."""
    code = code_for(card.seed)
    if code_hash(code) != card.code_hash:
        logger.error("Gift card %s: its code no longer derives from its seed", card.pk)
        return None
    return code_grouped(code)


__all__ = [
    "IssuedGiftCard",
    "gift_card_adjust",
    "gift_card_code",
    "gift_card_disable",
    "gift_card_holds_refund",
    "gift_card_holds_release",
    "gift_card_holds_take",
    "gift_card_issue",
    "gift_cards_hold",
    "gift_cards_issue_for_order",
]

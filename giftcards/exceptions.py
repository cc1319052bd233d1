from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.exceptions import DomainError
from shop.money import format_money

NOT_FOUND = gettext_lazy("We could not find a gift card with that code")


class GiftCardNotFoundError(DomainError):
    """Unknown, disabled, expired: one answer, so the reply tells a guesser nothing."""

    http_status = 404
    code = "gift_card_not_found"
    default_message = NOT_FOUND


class GiftCardInvalidError(DomainError):
    """A code given at checkout that names no usable card (same words as the balance page)."""

    field = "gift_cards"
    code = "invalid_gift_card"

    def __init__(self, last_four: str) -> None:
        super().__init__(
            _("We could not find a gift card with that code (ending %(last_four)s).")
            % {"last_four": last_four},
            last_four=last_four,
        )


class GiftCardBalanceError(DomainError):
    """A card with nothing left to spend: another checkout spent or holds its balance."""

    http_status = 409
    field = "gift_cards"
    code = "gift_card_balance_insufficient"

    def __init__(self, masked_code: str) -> None:
        super().__init__(
            _(
                "The gift card %(card)s no longer has a balance to spend: another order has "
                "used it. Remove it to pay another way."
            )
            % {"card": masked_code},
            card=masked_code,
        )


class GiftCardForGiftCardError(DomainError):
    field = "gift_cards"
    code = "gift_card_for_gift_card"
    default_message = gettext_lazy("Gift cards cannot pay for gift cards.")


class GiftCardAdjustError(DomainError):
    field = "amount"
    code = "gift_card_adjust_refused"

    def __init__(self, balance, held, currency: str) -> None:
        super().__init__(
            _(
                "That would leave the card below what open checkouts hold (%(held)s of its "
                "%(balance)s)."
            )
            % {"held": format_money(held, currency), "balance": format_money(balance, currency)}
        )


class GiftCardReasonRequiredError(DomainError):
    field = "reason"
    code = "gift_card_reason_required"
    default_message = gettext_lazy("Say why the balance changes.")


class GiftCardAmountError(DomainError):
    field = "balance"
    code = "invalid_gift_card_amount"
    default_message = gettext_lazy("A gift card's amount must be more than zero.")

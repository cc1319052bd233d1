"""Gift cards' receivers of checkout's claim signals (checkout/signals.py)."""

from giftcards import services


def gift_cards_hold_on_checkout(sender, order, request, room, lines, **kwargs):
    """A checkout starts (or is previewed, `order` None): the typed cards pay their part."""
    if not request.gift_cards:
        return None
    return services.gift_cards_hold(order=order, codes=request.gift_cards, room=room, lines=lines)


def gift_cards_take_on_payment(sender, order, **kwargs) -> str | None:
    """The order is paid: spend what it holds; say why not when a card no longer can."""
    return services.gift_card_holds_take(order=order)


def gift_cards_release_on_end(sender, order, reason, **kwargs) -> None:
    """The order ended unpaid: give its holds back."""
    services.gift_card_holds_release(order=order, reason=reason)


def gift_cards_refund_on_refund(sender, order, **kwargs) -> None:
    """The order is refunded: what its cards paid goes back on them first."""
    services.gift_card_holds_refund(order=order)


def gift_cards_issue_on_payment(sender, order, **kwargs) -> None:
    """The order is paid: issue and email the gift cards it bought."""
    services.gift_cards_issue_for_order(order=order)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GiftCardsConfig(AppConfig):
    name = "giftcards"
    verbose_name = _("Gift cards")

    def ready(self) -> None:
        from checkout import signals
        from giftcards import receivers

        signals.order_tenders_hold.connect(
            receivers.gift_cards_hold_on_checkout, dispatch_uid="giftcards-hold"
        )
        signals.order_claims_take.connect(
            receivers.gift_cards_take_on_payment, dispatch_uid="giftcards-take"
        )
        signals.order_claims_release.connect(
            receivers.gift_cards_release_on_end, dispatch_uid="giftcards-release"
        )
        signals.order_claims_refund.connect(
            receivers.gift_cards_refund_on_refund, dispatch_uid="giftcards-refund"
        )
        signals.order_paid.connect(
            receivers.gift_cards_issue_on_payment, dispatch_uid="giftcards-issue"
        )

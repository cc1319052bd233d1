from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cart.models import shop_currency
from giftcards.codes import masked

MONEY = {"max_digits": 12, "decimal_places": 2}


class GiftCard(models.Model):
    """A balance a shopper pays with by typing its code. The code itself is never stored (see
    giftcards/codes.py): only its hash, its last four characters and the seed it comes from.

    `balance` is what is on the card, `held` the part open checkouts hold; what can still be
    spent is the difference. The entries add up to both.
    """

    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    seed = models.CharField(max_length=32, editable=False)
    last_four = models.CharField(_("last four"), max_length=4, editable=False)
    balance = models.DecimalField(_("balance"), **MONEY, default=0)
    held = models.DecimalField(_("held by open checkouts"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3, default=shop_currency)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    disabled = models.BooleanField(_("disabled"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A card bought in the shop: the order line that paid for it (one card per unit), and who
    # it is for.
    order_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    order_number = models.CharField(_("bought with order"), max_length=20, blank=True)
    order_line_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    unit = models.PositiveSmallIntegerField(default=0, editable=False)
    recipient_email = models.EmailField(_("recipient"), blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gift card")
        verbose_name_plural = _("gift cards")
        permissions = [("adjust_giftcard", _("Can adjust gift card balances"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(held__gte=0, balance__gte=models.F("held")),
                name="giftcard_held_within_balance",
            ),
            models.UniqueConstraint(
                fields=["order_line_id", "unit"],
                condition=Q(order_line_id__isnull=False),
                name="giftcard_one_per_unit_bought",
            ),
        ]

    def __str__(self) -> str:
        return masked(self.last_four)

    @property
    def available(self):
        """What can still be spent: the balance less what open checkouts hold."""
        return self.balance - self.held

    @property
    def masked_code(self) -> str:
        return masked(self.last_four)

    def is_usable(self, now=None) -> bool:
        """Whether the card may pay: not disabled, not expired, in the shop's currency."""
        now = now or timezone.now()
        return (
            not self.disabled
            and (self.expires_at is None or self.expires_at > now)
            and self.currency == shop_currency()
        )


class GiftCardHold(models.Model):
    """What one order holds of one card: held at checkout, then redeemed, released or
    (after a refund) refunded."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        REDEEMED = "redeemed", _("Redeemed")
        RELEASED = "released", _("Released")
        REFUNDED = "refunded", _("Refunded")

    card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="holds")
    # Orders are named by id, not foreign key: checkout is a floor below (like stock holds).
    order_id = models.PositiveBigIntegerField(db_index=True)
    order_number = models.CharField(max_length=20)
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "order_id"], name="giftcard_hold_per_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="giftcard_hold_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} of {self.card} for {self.order_number} ({self.status})"


class GiftCardEntry(models.Model):
    """The ledger: one row for every change of a card. `amount` is the change of its balance,
    `held_change` of what open checkouts hold; each adds up to the card's figure."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        HELD = "held", _("Held")
        RELEASED = "released", _("Released")
        REDEEMED = "redeemed", _("Redeemed")
        REFUNDED = "refunded", _("Refunded")
        ADJUSTED = "adjusted", _("Adjusted")
        DISABLED = "disabled", _("Disabled")
        ENABLED = "enabled", _("Enabled")

    card = models.ForeignKey(GiftCard, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("balance change"), **MONEY, default=0)
    held_change = models.DecimalField(_("held change"), **MONEY, default=0)
    balance_after = models.DecimalField(_("balance after"), **MONEY)
    order_id = models.PositiveBigIntegerField(null=True, blank=True)
    order_number = models.CharField(_("order"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("staff"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("gift card entry")
        verbose_name_plural = _("gift card entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class GiftCardVariant(models.Model):
    """A variant sold as a gift card: each unit paid for issues a card worth its price,
    emailed to the line's `recipient_email` with its `message` (line properties)."""

    variant = models.OneToOneField(
        "catalog.Variant",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="gift_card",
        verbose_name=_("variant"),
    )
    expires_after_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True, help_text=_("Empty: never expires.")
    )

    class Meta:
        verbose_name = _("gift card product")
        verbose_name_plural = _("gift card products")

    def __str__(self) -> str:
        return str(self.variant)

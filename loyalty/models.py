from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PointsAccount(models.Model):
    """A shopper's loyalty points: what can be spent now, and what was earned but is not yet
    usable. Points held by an open checkout are already out of `balance`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="points_account",
        verbose_name=_("shopper"),
    )
    balance = models.PositiveIntegerField(_("points to spend"), default=0)
    pending = models.PositiveIntegerField(_("points pending"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        permissions = [("adjust_pointsaccount", _("Can adjust loyalty points"))]

    def __str__(self) -> str:
        return str(self.user)


class PointsEntry(models.Model):
    """One change of an account's points, with the order it was for. The entries add up to
    the account: the sum of `balance_change` is its balance, of `pending_change` its pending."""

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        AVAILABLE = "available", _("Now available")
        HELD = "held", _("Held for checkout")
        RELEASED = "released", _("Given back")
        REDEEMED = "redeemed", _("Redeemed")
        RETURNED = "returned", _("Returned (refund)")
        CLAWED_BACK = "clawed_back", _("Taken back (refund)")
        ADJUSTED = "adjusted", _("Adjusted by staff")

    account = models.ForeignKey(PointsAccount, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    balance_change = models.IntegerField(_("change to points to spend"), default=0)
    pending_change = models.IntegerField(_("change to points pending"), default=0)
    # Points a refund should have taken back but could not, as they were already spent.
    shortfall = models.PositiveIntegerField(_("could not be taken back"), default=0)
    order = models.ForeignKey(
        "checkout.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("order"),
    )
    # Earned entries: when the points become usable, and when they did.
    available_at = models.DateTimeField(_("usable from"), null=True, blank=True)
    made_available_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=Q(kind="earned", made_available_at__isnull=True),
                name="points_entry_due_idx",
            ),
        ]
        constraints = [
            # An order earns once, and its points are held, given back, redeemed, returned
            # and taken back at most once each.
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(
                    kind__in=["earned", "held", "released", "redeemed", "returned", "clawed_back"]
                ),
                name="points_entry_once_per_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjusted") | ~Q(reason=""), name="points_adjustment_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+d}"

    @property
    def points(self) -> int:
        """The points this entry is about, signed: what was earned, moved, spent or taken."""
        return self.balance_change or self.pending_change

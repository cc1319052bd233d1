from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailOptOut(models.Model):
    """An address that asked for no more emails of one kind: from an unsubscribe link (no
    login needed) or, for a shopper's own address, their notification settings."""

    class Kind(models.TextChoices):
        CART_REMINDERS = "cart_reminders", _("Cart reminders")
        BACK_IN_STOCK = "back_in_stock", _("Back-in-stock alerts")
        PRICE_DROP = "price_drop", _("Price-drop alerts")

    email = models.EmailField()
    # Rows from before there were kinds stopped cart reminders, the only email there was.
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CART_REMINDERS)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cart_emailoptout"  # where the table was made; rows kept as they are
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="email_optout_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.kind})"

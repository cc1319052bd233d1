from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StockAlert(models.Model):
    """Someone waiting for an out-of-stock variant: a shopper (their account's address) or a
    guest (an address confirmed from a link first). It ends once its email is sent."""

    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="stock_alerts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stock_alerts",
    )
    email = models.EmailField(_("email"))
    # The scheme, host and port the alert was asked for on, for its links when SITE_URL is unset.
    site_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Set when the variant came back and the alert was handed to the job that emails it.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("back-in-stock alert")
        verbose_name_plural = _("back-in-stock alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "email"],
                condition=Q(ended_at__isnull=True),
                name="stock_alert_one_waiting_per_address",
            ),
        ]
        indexes = [
            models.Index(
                fields=["variant"],
                condition=Q(ended_at__isnull=True, confirmed_at__isnull=False),
                name="stock_alert_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} waits for variant {self.variant_id}"


class PriceWatch(models.Model):
    """The price a shopper last knew for a variant on their wishlist: what it cost when the
    watch began, or what the last price-drop email told them. A drop is measured from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="price_watches"
    )
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="price_watches"
    )
    price = models.DecimalField(max_digits=10, decimal_places=2)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("price watch")
        verbose_name_plural = _("price watches")
        constraints = [
            models.UniqueConstraint(fields=["user", "variant"], name="price_watch_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches variant {self.variant_id} from {self.price}"

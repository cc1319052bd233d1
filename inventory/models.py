from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StockReservation(models.Model):
    """Stock held for an order waiting for payment; it counts against availability until
    it expires, is released, or becomes a stock decrement when the order is paid.

    The order and its cart live on floors above inventory, so they are named by id, not by
    foreign key: inventory never needs to know what an order is.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CONVERTED = "converted", _("Converted to a sale")
        RELEASED = "released", _("Released")

    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="reservations"
    )
    order_id = models.BigIntegerField(_("order"), db_index=True)
    # The cart the order was made from: its own holds never put that cart out of stock.
    cart_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "checkout_stockreservation"  # where the table was made; rows kept as they are
        verbose_name = _("stock reservation")
        verbose_name_plural = _("stock reservations")
        permissions = [
            (
                "release_stockreservation",
                _("Can release stock holds (cancels their unpaid order)"),
            ),
        ]
        indexes = [
            models.Index(
                fields=["variant", "expires_at"],
                condition=Q(status="active"),
                name="reservation_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.variant_id} for order {self.order_id}"

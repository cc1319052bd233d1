from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cart.models import NOTE_MAX_LENGTH, shop_currency
from catalog.models import NAME_TRANSLATIONS_HELP, variant_display_name, variant_label
from shop.translations import localized

MONEY = {"max_digits": 12, "decimal_places": 2}


class ShippingMethod(models.Model):
    """A flat shipping rate; free when the discounted subtotal reaches `free_over`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_translations = models.JSONField(
        _("translated names"), default=dict, blank=True, help_text=NAME_TRANSLATIONS_HELP
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    free_over = models.DecimalField(
        _("free over"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Ships free when the subtotal after discount reaches this amount."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "price", "id"]
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="shipping_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        return localized(self.name, self.name_translations)


class PromoCode(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage off")
        FIXED = "fixed", _("Fixed amount off")

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Shoppers type it in any case.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(
        _("value"), max_digits=10, decimal_places=2, help_text=_("Percent (1–100) or an amount.")
    )
    min_subtotal = models.DecimalField(
        _("minimum subtotal"), max_digits=10, decimal_places=2, default=0
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(
        _("total uses"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    max_uses_per_customer = models.PositiveIntegerField(
        _("uses per customer"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    times_used = models.PositiveIntegerField(_("times used (paid orders)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("promo code")
        verbose_name_plural = _("promo codes")
        constraints = [
            models.UniqueConstraint(Upper("code"), name="promo_code_unique_any_case"),
            models.CheckConstraint(condition=Q(value__gt=0), name="promo_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="promo_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
        PAID = "paid", _("Paid")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    cart = models.ForeignKey(
        "cart.Cart", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    email = models.EmailField(_("email"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT
    )
    currency = models.CharField(max_length=3, default=shop_currency)
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    discount_total = models.DecimalField(_("discount"), **MONEY, default=0)
    shipping_total = models.DecimalField(_("shipping"), **MONEY, default=0)
    tax_total = models.DecimalField(_("tax"), **MONEY, default=0)
    # Loyalty points redeemed and what they took off: a discount, before tax.
    points_redeemed = models.PositiveIntegerField(_("points redeemed"), default=0)
    points_discount = models.DecimalField(_("points discount"), **MONEY, default=0)
    total = models.DecimalField(_("total"), **MONEY)
    # What gift cards pay of the total, and what is left for the payment provider to charge:
    # total = amount_due + gift_card_total, always.
    gift_card_total = models.DecimalField(_("paid by gift cards"), **MONEY, default=0)
    amount_due = models.DecimalField(_("paid by card"), **MONEY)
    # The claims apps above checkout hold on this order, as it shows them: [{kind, source,
    # reference, amount, points}] (see checkout/claims.py).
    claims = models.JSONField(default=list, blank=True)
    promo_code = models.CharField(_("promo code"), max_length=40, blank=True)
    # The shopper's note from the cart, as it was when the checkout started.
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    shipping_method_code = models.CharField(max_length=40)
    shipping_method_name = models.CharField(_("shipping method"), max_length=100)
    # The method's translated names as they were when the order was placed, like its name.
    shipping_method_name_translations = models.JSONField(default=dict, blank=True)
    ship_name = models.CharField(_("name"), max_length=150)
    ship_line1 = models.CharField(_("address line 1"), max_length=200)
    ship_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    ship_city = models.CharField(_("city"), max_length=100)
    ship_postal_code = models.CharField(_("postal code"), max_length=20)
    ship_country = models.CharField(_("country"), max_length=2)
    ship_phone = models.CharField(_("phone"), max_length=40, blank=True)
    payment_backend = models.CharField(max_length=10)
    # The Checkout Session (or test payment) this order is paid through; unique, so that the
    # webhook and the success page, arriving together, find one order and pay it once.
    payment_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    payment_url = models.URLField(max_length=2000, blank=True)
    cancel_reason = models.CharField(max_length=40, blank=True)
    cart_version = models.PositiveIntegerField(default=0)
    # The shop's address as the shopper used it, for links in this order's emails.
    site_url = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(_("payment due by"))
    created_at = models.DateTimeField(_("placed"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the refund of a payment ran out of retries: the shopper's money is still taken
    # until staff retry it ("Retry refund"); cleared when the order is refunded.
    refund_failed_at = models.DateTimeField(_("refund failed"), null=True, blank=True)
    promo_over_limit = models.BooleanField(
        _("promo over limit"),
        default=False,
        help_text=_(
            "Paid after it was cancelled, with a promo code whose limits no longer allowed "
            "this use; the sale was kept. Untick once reviewed."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        # What staff may do to an order beyond editing it; each admin action names one.
        permissions = [
            ("fulfil_order", _("Can mark paid orders as fulfilled")),
            ("cancel_order", _("Can cancel unpaid orders")),
            ("refund_order", _("Can refund orders")),
        ]
        indexes = [
            models.Index(fields=["cart", "status"], name="order_cart_status_idx"),
            # Guest orders by email in any case: they join an account once its email is confirmed.
            models.Index(
                Upper("email"), condition=Q(user__isnull=True), name="order_guest_email_idx"
            ),
            models.Index(
                fields=["refund_failed_at"],
                condition=Q(refund_failed_at__isnull=False),
                name="order_refund_failed_idx",
            ),
            models.Index(
                fields=["promo_over_limit"],
                condition=Q(promo_over_limit=True),
                name="order_promo_over_limit_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0, gift_card_total__gte=0, points_discount__gte=0),
                name="order_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total=F("amount_due") + F("gift_card_total")),
                name="order_total_is_card_plus_gift_cards",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING_PAYMENT

    @property
    def shipping_method_display_name(self) -> str:
        """The shipping method's name in the active language."""
        return localized(self.shipping_method_name, self.shipping_method_name_translations)


class OrderLine(models.Model):
    """What was bought, as it was when the checkout started."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.SET_NULL, null=True, related_name="order_lines"
    )
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=100)
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY, default=0)
    # What the shopper said about the item ({key: value}) and how it read ([{key, label,
    # value}]), copied from the cart line.
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    properties_display = models.JSONField(default=list, blank=True)
    # What paying for the line issued, as the buyer may read it (the gift cards bought, by
    # their last four), written by the app above checkout that issued it.
    issued = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} ({self.variant_name})"

    @property
    def variant_label(self) -> str:
        """The variant's name to show beside the product's; empty for a single, default variant."""
        return variant_label(self.variant_name)

    def variant_display_name(self) -> str:
        """The variant's name in the active language (the default variant's is translated)."""
        return variant_display_name(self.variant_name)


class OrderStatusChange(models.Model):
    """The order's history: every status it went through, when, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("previous status"), max_length=20, blank=True, choices=Order.Status.choices
    )
    to_status = models.CharField(_("new status"), max_length=20, choices=Order.Status.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class PromoRedemption(models.Model):
    """A promo code's use by one order: claimed at checkout, redeemed when paid, else released."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        REDEEMED = "redeemed", _("Redeemed")
        RELEASED = "released", _("Released")

    promo = models.ForeignKey(PromoCode, on_delete=models.PROTECT, related_name="redemptions")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="promo_redemption")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["promo", "status"], name="promo_redemption_status_idx")]

    def __str__(self) -> str:
        return f"{self.promo} for {self.order}"


class StripeEvent(models.Model):
    """A Stripe webhook event already applied; its id makes every event count once."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"

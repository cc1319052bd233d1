import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The most characters of a cart's note (and an order's).
NOTE_MAX_LENGTH = 500

# The most of one item a line can ever hold, whatever CART_MAX_LINE_QUANTITY says: the
# database's own guard. The configurable maximum (at most this) is checked by the services.
LINE_QUANTITY_CEILING = 10_000


def shop_currency() -> str:
    return settings.SHOP_CURRENCY


def new_cart_token() -> str:
    """Return a fresh secret cart token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


class Cart(models.Model):
    """A shopper's cart: a guest's (named by its secret token) or a user's (at most one open)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONVERTED = "converted", _("Converted to an order")
        MERGED = "merged", _("Merged into a user's cart")
        EXPIRED = "expired", _("Expired")

    token = models.CharField(max_length=64, unique=True, default=new_cart_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="carts",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    currency = models.CharField(max_length=3, default=shop_currency)
    # Grows with every change: the API's ETag, and how a stale write is recognised.
    version = models.PositiveIntegerField(default=1)
    # What the shopper wants the shop to know about the order; it goes with the order.
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    # A guest's email, once typed at checkout: where an abandoned-cart reminder can go.
    email = models.EmailField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Set when a checkout of this cart starts, cleared when a change has ended the cart's
    # checkouts: while it is False none is open, so a change needs not look for one.
    in_checkout = models.BooleanField(default=False, editable=False)
    # The shop's address as this shopper reached it, for links in emails sent later.
    site_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="open", user__isnull=False),
                name="cart_one_open_cart_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_activity_at"], name="cart_status_activity_idx")
        ]

    def __str__(self) -> str:
        owner = self.user.email if self.user_id else _("guest")
        return f"Cart {self.pk} ({owner}, {self.status})"


class CartLine(models.Model):
    """One variant with one set of properties in a cart; names are kept so a line outlives a
    deleted variant."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.SET_NULL, null=True, related_name="cart_lines"
    )
    quantity = models.PositiveIntegerField()
    # The price the shopper saw when adding; the cart charges the current price and flags a change.
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=100)
    # What the shopper said about this item ({key: value}, normalised by
    # catalog/properties.py); the same variant with other properties is another line.
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    # How lines are told apart: "" without properties, else a hash of them (a unique index
    # cannot compare JSON alike on every database).
    properties_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The properties as shoppers read them: [{key, label, value}] in the product's field order.
    properties_display = models.JSONField(default=list, blank=True, editable=False)
    added_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "variant", "properties_key"],
                name="cart_line_one_per_variant_and_properties",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=LINE_QUANTITY_CEILING),
                name="cart_line_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} ({self.variant_name})"


class CartEvent(models.Model):
    """What happened to a cart, with the analytics fields, for reports and reminders."""

    class Type(models.TextChoices):
        ITEM_ADDED = "item_added", _("Item added")
        ITEM_UPDATED = "item_updated", _("Item updated")
        ITEM_REMOVED = "item_removed", _("Item removed")
        CART_CLEARED = "cart_cleared", _("Cart cleared")
        CART_MERGED = "cart_merged", _("Cart merged")
        CART_VALIDATED = "cart_validated", _("Cart validated")
        CART_VIEWED = "cart_viewed", _("Cart viewed")
        CHECKOUT_STARTED = "checkout_started", _("Checkout started")
        CART_EXPIRED = "cart_expired", _("Cart expired")
        CART_ABANDONED = "cart_abandoned", _("Cart abandoned")
        CART_RECOVERED = "cart_recovered", _("Cart recovered")
        CART_SHARED = "cart_shared", _("Cart shared")
        SHARED_CART_OPENED = "shared_cart_opened", _("Shared cart opened")
        SHARED_CART_ADDED = "shared_cart_added", _("Shared cart added to a cart")
        LINE_SAVED = "line_saved", _("Line saved for later")
        LINE_RESTORED = "line_restored", _("Saved item moved to the cart")

    type = models.CharField(max_length=20, choices=Type.choices, db_index=True)
    cart = models.ForeignKey(
        Cart, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cart_events",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cart event")
        verbose_name_plural = _("cart events")

    def __str__(self) -> str:
        return f"{self.get_type_display()} · cart {self.cart_id}"


# --- Shared carts (issue 15, point 3) ----------------------------------------------------


def new_shared_cart_token() -> str:
    """Return a fresh secret for a shared cart's link: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


class SharedCart(models.Model):
    """A read-only snapshot of cart lines behind an unguessable link: a shopper's "Share this
    cart", or an assisted sale made by staff. It holds variants, quantities and properties
    only: never the live cart, the sharer's identity or the prices they saw."""

    class Kind(models.TextChoices):
        SHOPPER = "shopper", _("Shared by a shopper")
        ASSISTED = "assisted", _("Assisted sale")

    token = models.CharField(
        max_length=64, unique=True, default=new_shared_cart_token, editable=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SHOPPER)
    # The cart version it was taken from, never shown: sharing an unchanged cart again gives
    # the same link rather than another row.
    source_cart = models.ForeignKey(
        Cart, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    source_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Assisted sales: the staff member who made it, and for whom (for staff; never on the link).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    label = models.CharField(_("for"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("made at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    open_count = models.PositiveIntegerField(_("opened"), default=0)
    add_count = models.PositiveIntegerField(_("added to a cart"), default=0)
    last_opened_at = models.DateTimeField(_("last opened at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("shared cart")
        verbose_name_plural = _("shared carts")
        permissions = [("assisted_sale_sharedcart", _("Can make assisted-sale links"))]
        indexes = [
            models.Index(fields=["source_cart", "source_version"], name="shared_cart_source_idx")
        ]

    def __str__(self) -> str:
        return f"Shared cart {self.pk} ({self.get_kind_display()})"


class SharedCartLine(models.Model):
    """One line of a shared cart's snapshot; names are kept for a variant deleted since."""

    shared_cart = models.ForeignKey(SharedCart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant",
        on_delete=models.SET_NULL,
        null=True,
        related_name="shared_cart_lines",
        verbose_name=_("variant"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    # As on a cart line: {key: value} normalised, and [{key, label, value}] to show.
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    properties_display = models.JSONField(default=list, blank=True, editable=False)
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("shared cart line")
        verbose_name_plural = _("shared cart lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=LINE_QUANTITY_CEILING),
                name="shared_cart_line_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} ({self.variant_name})"


# --- Saved for later and the wishlist (issue 15, points 1, 2) ------------------------------

# The most items one owner's wishlist holds (saved items are capped by CART_MAX_LINES).
WISHLIST_MAX_ITEMS = 200


def _one_owner(prefix: str) -> list[models.BaseConstraint]:
    """A kept item belongs to a shopper (user) or to a guest's cart, never both or neither."""
    return [
        models.CheckConstraint(
            condition=Q(user__isnull=False, cart__isnull=True)
            | Q(user__isnull=True, cart__isnull=False),
            name=f"{prefix}_one_owner",
        ),
    ]


class SavedItem(models.Model):
    """A cart line moved out of the cart for later: never in the totals, never reserved.

    A shopper's belong to the user (they outlive each cart); a guest's to the guest cart,
    and go when it goes. Names are kept so an item outlives a deleted variant, flagged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_items",
    )
    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, null=True, blank=True, related_name="saved_items"
    )
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.SET_NULL, null=True, related_name="saved_items"
    )
    # How many were in the line: moving back adds as many.
    quantity = models.PositiveIntegerField(default=1)
    # As on a cart line: {key: value}, its hash, and [{key, label, value}] to show.
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    properties_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    properties_display = models.JSONField(default=list, blank=True, editable=False)
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=100)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-id"]
        verbose_name = _("saved item")
        verbose_name_plural = _("saved items")
        constraints = [
            *_one_owner("saved_item"),
            models.UniqueConstraint(
                fields=["user", "variant", "properties_key"],
                condition=Q(user__isnull=False),
                name="saved_item_one_per_user_variant_and_properties",
            ),
            models.UniqueConstraint(
                fields=["cart", "variant", "properties_key"],
                condition=Q(cart__isnull=False),
                name="saved_item_one_per_cart_variant_and_properties",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=LINE_QUANTITY_CEILING),
                name="saved_item_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} ({self.variant_name}), saved"


class WishlistItem(models.Model):
    """A variant on an owner's wishlist: a shopper's (never expires) or a guest's (kept on
    the guest cart, it goes when that cart expires)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wishlist_items",
    )
    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, null=True, blank=True, related_name="wishlist_items"
    )
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="wishlist_items"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = _("wishlist item")
        verbose_name_plural = _("wishlist items")
        constraints = [
            *_one_owner("wishlist_item"),
            models.UniqueConstraint(
                fields=["user", "variant"],
                condition=Q(user__isnull=False),
                name="wishlist_item_one_per_user_and_variant",
            ),
            models.UniqueConstraint(
                fields=["cart", "variant"],
                condition=Q(cart__isnull=False),
                name="wishlist_item_one_per_cart_and_variant",
            ),
        ]

    def __str__(self) -> str:
        return f"Wishlist item {self.pk} (variant {self.variant_id})"

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from checkout import services
from checkout.exceptions import OrderStateError
from checkout.models import (
    Order,
    OrderLine,
    OrderStatusChange,
    PromoCode,
    PromoRedemption,
    ShippingMethod,
)
from inventory.models import StockReservation
from inventory.selectors import reservations_for_order
from shop.admin import ReadOnlyInline, model_permission, permission_view
from shop.exceptions import DomainError
from shop.money import format_money
from shop.translations import translated_name_form


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    form = translated_name_form(ShippingMethod)
    list_display = ("name", "code", "price", "free_over", "is_active", "position")
    list_editable = ("price", "free_over", "is_active", "position")
    prepopulated_fields = {"code": ("name",)}


@admin.register(PromoCode)
class PromoCodeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "kind",
        "value",
        "min_subtotal",
        "starts_at",
        "ends_at",
        "max_uses",
        "max_uses_per_customer",
        "times_used",
        "claims_open",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("code", "description")
    readonly_fields = ("times_used",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_claims=Count(
                    "redemptions", filter=Q(redemptions__status=PromoRedemption.Status.CLAIMED)
                )
            )
        )

    @admin.display(description=_("open checkouts"), ordering="open_claims")
    def claims_open(self, obj):
        return obj.open_claims


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "sku",
        "product_name",
        "variant_name",
        "properties_shown",
        "unit_price",
        "quantity",
        "line_total",
        "tax",
    )

    @admin.display(description=_("properties"))
    def properties_shown(self, obj):
        return (
            format_html_join(
                mark_safe("<br>"),
                "{}: {}",
                (
                    (item.get("label", ""), item.get("value", ""))
                    for item in obj.properties_display
                ),
            )
            or "—"
        )


class OrderStatusChangeInline(ReadOnlyInline):
    model = OrderStatusChange
    fields = ("created_at", "from_status", "to_status", "note")


def _run(modeladmin, request, queryset, action, done_message):
    done = 0
    for order in queryset:
        try:
            action(order)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{order.number}: {exc.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "created_at",
        "email",
        "status",
        "total_display",
        "payment_backend",
        "packing",
    )
    list_filter = (
        "status",
        ("refund_failed_at", admin.EmptyFieldListFilter),
        "promo_over_limit",
        "payment_backend",
        ("created_at", admin.DateFieldListFilter),
        "shipping_method_code",
    )
    search_fields = ("number", "email", "ship_name", "lines__sku", "payment_session_id")
    date_hierarchy = "created_at"
    inlines = (OrderLineInline, OrderStatusChangeInline)
    actions = ("mark_fulfilled", "cancel_unpaid", "refund", "retry_refund")
    readonly_fields = (
        "number",
        "user",
        "cart",
        "email",
        "status",
        "currency",
        "subtotal",
        "discount_total",
        "shipping_total",
        "tax_total",
        "total",
        "points_redeemed",
        "points_discount",
        "gift_card_total",
        "amount_due",
        "claims_shown",
        "promo_code",
        "note",
        "shipping_method_code",
        "shipping_method_name",
        "payment_backend",
        "payment_session_id",
        "payment_intent_id",
        "payment_url",
        "cancel_reason",
        "expires_at",
        "created_at",
        "paid_at",
        "cancelled_at",
        "refund_failed_at",
        "stock_holds",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "status",
                    "email",
                    "user",
                    "created_at",
                    "paid_at",
                    "cancelled_at",
                    "cancel_reason",
                    "refund_failed_at",
                    "note",
                )
            },
        ),
        (
            _("Money"),
            {
                "fields": (
                    "currency",
                    "subtotal",
                    "discount_total",
                    "promo_code",
                    "promo_over_limit",
                    "shipping_total",
                    "points_redeemed",
                    "points_discount",
                    "tax_total",
                    "total",
                    "gift_card_total",
                    "amount_due",
                    "claims_shown",
                )
            },
        ),
        (
            _("Shipping"),
            {
                "fields": (
                    "shipping_method_name",
                    "ship_name",
                    "ship_line1",
                    "ship_line2",
                    "ship_city",
                    "ship_postal_code",
                    "ship_country",
                    "ship_phone",
                )
            },
        ),
        (
            _("Payment"),
            {
                "fields": (
                    "payment_backend",
                    "payment_session_id",
                    "payment_intent_id",
                    "payment_url",
                    "expires_at",
                    "cart",
                    "stock_holds",
                )
            },
        ),
    )

    @admin.display(description=_("points and gift cards"))
    def claims_shown(self, obj):
        return (
            format_html_join(
                mark_safe("<br>"),
                "{}: {}",
                ((claim["reference"], claim["amount"]) for claim in obj.claims),
            )
            or "—"
        )

    # Actions beyond editing: permissions declared in Order.Meta.permissions (shop/admin.py).
    has_fulfil_permission = model_permission("fulfil")
    has_cancel_permission = model_permission("cancel")
    has_refund_permission = model_permission("refund")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # An order is a record of money and stock; deleting one would strand its stock holds
        # (inventory names orders by id). Orders end by being cancelled or refunded.
        return False

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, obj):
        return format_money(obj.total, obj.currency)

    @admin.display(description=_("stock held"))
    def stock_holds(self, obj):
        rows = [
            (r.variant, r.quantity, r.get_status_display(), r.expires_at)
            for r in reservations_for_order(order_id=obj.pk)
        ]
        if not rows:
            return "—"
        return format_html_join(
            "\n", "<div>{} × {} · {} · {}</div>", ((q, v, s, e) for v, q, s, e in rows)
        )

    @admin.display(description=_("packing slip"))
    def packing(self, obj):
        url = reverse("admin:checkout_order_packing", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Print"))

    def get_urls(self):
        return [
            path(
                "<int:order_id>/packing-slip/",
                permission_view(self, self.packing_slip),
                name="checkout_order_packing",
            ),
            *super().get_urls(),
        ]

    def packing_slip(self, request, order_id: int):
        order = get_object_or_404(Order.objects.prefetch_related("lines"), pk=order_id)
        return render(
            request,
            "admin/checkout/packing_slip.html",
            {"order": order, "lines": order.lines.all(), "SHOP_NAME": settings.SHOP_NAME},
        )

    @admin.action(permissions=["fulfil"], description=_("Mark selected paid orders as fulfilled"))
    def mark_fulfilled(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda o: services.order_fulfil(order_id=o.pk),
            "%(count)d orders fulfilled.",
        )

    @admin.action(
        permissions=["cancel"],
        description=_("Cancel selected unpaid orders (releases their stock)"),
    )
    def cancel_unpaid(self, request, queryset):
        def cancel(order):
            if order.status != Order.Status.PENDING_PAYMENT:
                raise OrderStateError()
            services.order_cancel(order_id=order.pk, reason="staff")

        _run(self, request, queryset, cancel, "%(count)d orders cancelled.")

    @admin.action(
        permissions=["refund"],
        description=_("Refund selected orders (through Stripe when paid there)"),
    )
    def refund(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda o: services.order_refund(order_id=o.pk, note=f"refunded by {request.user}"),
            "%(count)d orders refunded.",
        )

    @admin.action(
        description=_("Retry the failed refund of selected orders"), permissions=["refund"]
    )
    def retry_refund(self, request, queryset):
        def retry(order):
            if order.refund_failed_at is None:
                raise OrderStateError(_("It has no failed refund to retry."))
            services.order_refund(order_id=order.pk, note=f"refund retried by {request.user}")

        _run(self, request, queryset, retry, "%(count)d refunds retried and made.")


# Inventory's holds, registered here because releasing one means cancelling its order.
@admin.register(StockReservation)
class StockReservationAdmin(admin.ModelAdmin):
    list_display = ("variant", "quantity", "order_id", "status", "expires_at")
    list_filter = ("status",)
    search_fields = ("variant__sku",)
    search_help_text = _("A SKU or an order number.")
    list_select_related = ("variant__product",)
    actions = ("release",)

    has_release_permission = model_permission("release")

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            orders = Order.objects.filter(number__iexact=search_term.strip()).values("pk")
            found |= queryset.filter(order_id__in=orders)
        return found, may_have_duplicates

    @admin.action(
        permissions=["release"],
        description=_("Release: cancel the unpaid order holding this stock"),
    )
    def release(self, request, queryset):
        orders = Order.objects.filter(pk__in=queryset.values("order_id"))
        _run(
            self,
            request,
            orders,
            lambda o: services.order_cancel(order_id=o.pk, reason="released by staff"),
            "%(count)d orders cancelled, their stock released.",
        )

from datetime import date, timedelta

from django.contrib import admin
from django.db.models import Count
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cart.models import Cart, CartEvent, CartLine, EmailOptOut
from checkout.reports import funnel_report
from shop.admin import ReadOnlyInline


class CartLineInline(ReadOnlyInline):
    model = CartLine
    fields = (
        "variant",
        "sku",
        "product_name",
        "variant_name",
        "quantity",
        "unit_price",
        "added_at",
    )


class CartEventInline(ReadOnlyInline):
    model = CartEvent
    fields = ("created_at", "type", "user", "payload")
    ordering = ("-created_at",)


class OwnerFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("guest", _("Guest")), ("user", _("Shopper"))]

    def queryset(self, request, queryset):
        if self.value() == "guest":
            return queryset.filter(user__isnull=True)
        if self.value() == "user":
            return queryset.filter(user__isnull=False)
        return queryset


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "owner",
        "status",
        "line_count",
        "version",
        "last_activity_at",
        "reminded_at",
    )
    list_filter = ("status", OwnerFilter, ("last_activity_at", admin.DateFieldListFilter))
    search_fields = ("token", "email", "user__email", "lines__sku")
    list_select_related = ("user",)
    inlines = (CartLineInline, CartEventInline)
    readonly_fields = (
        "token",
        "user",
        "status",
        "currency",
        "version",
        "email",
        "site_url",
        "reminded_at",
        "created_at",
        "updated_at",
        "last_activity_at",
    )

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lines_count=Count("lines"))

    @admin.display(description=_("owner"))
    def owner(self, obj):
        return obj.user.email if obj.user_id else (obj.email or _("guest"))

    @admin.display(description=_("lines"), ordering="lines_count")
    def line_count(self, obj):
        return obj.lines_count

    def get_urls(self):
        return [
            path("report/", self.admin_site.admin_view(self.report_view), name="cart_report"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        today = timezone.localdate()
        try:
            start = date.fromisoformat(request.GET.get("start", ""))
        except ValueError:
            start = today - timedelta(days=29)
        try:
            end = date.fromisoformat(request.GET.get("end", ""))
        except ValueError:
            end = today
        if end < start:
            start, end = end, start
        end = min(end, start + timedelta(days=366))
        report = funnel_report(start=start, end=end)
        peak = max(
            [1, *(max(d.carts_created, d.checkouts_started, d.orders_paid) for d in report.days)]
        )
        bar = 24
        chart = {
            "width": max(1, len(report.days)) * bar,
            "height": 160,
            "days": [
                {
                    "x": i * bar,
                    "day": d,
                    "bars": [
                        (
                            kind,
                            i * bar + 2 + n * 7,
                            150 - round(140 * value / peak),
                            round(140 * value / peak),
                            value,
                        )
                        for n, (kind, value) in enumerate(
                            (
                                ("created", d.carts_created),
                                ("checkout", d.checkouts_started),
                                ("paid", d.orders_paid),
                            )
                        )
                    ],
                }
                for i, d in enumerate(report.days)
            ],
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Carts and orders report"),
            "report": report,
            "chart": chart,
            "opts": self.model._meta,
        }
        return render(request, "admin/cart/report.html", context)


@admin.register(CartEvent)
class CartEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "type", "cart", "user", "source")
    list_filter = ("type", ("created_at", admin.DateFieldListFilter))
    search_fields = ("cart__token", "user__email", "cart__id")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = ("type", "cart", "user", "created_at", "payload")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("source"))
    def source(self, obj):
        return (obj.payload or {}).get("source", "")


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at")
    search_fields = ("email",)

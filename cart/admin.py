from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cart.models import Cart, CartEvent, CartLine
from shop.admin import ReadOnlyInline


class CartLineInline(ReadOnlyInline):
    model = CartLine
    fields = (
        "variant",
        "sku",
        "product_name",
        "variant_name",
        "properties_shown",
        "quantity",
        "unit_price",
        "added_at",
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
        "note",
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

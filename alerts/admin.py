from django.contrib import admin

from alerts.models import PriceWatch, StockAlert


@admin.register(StockAlert)
class StockAlertAdmin(admin.ModelAdmin):
    """Who waits for which variant; read-only: shoppers ask and confirm, the job ends them."""

    list_display = ("email", "variant", "created_at", "confirmed_at", "ended_at")
    list_filter = (
        ("ended_at", admin.EmptyFieldListFilter),
        ("confirmed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email", "variant__sku", "variant__product__name")
    list_select_related = ("variant__product",)
    readonly_fields = [f.name for f in StockAlert._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PriceWatch)
class PriceWatchAdmin(admin.ModelAdmin):
    list_display = ("user", "variant", "price", "updated_at")
    search_fields = ("user__email", "variant__sku")
    list_select_related = ("user", "variant__product")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, Min, OuterRef, Q, Sum
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.models import (
    Category,
    OptionName,
    Product,
    ProductImage,
    ProductLineField,
    Variant,
    variant_slug,
)
from catalog.properties import LINE_FIELDS_PER_PRODUCT
from shop.money import format_money
from shop.translations import translated_name_form


class LowStockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [
            ("low", _("Low stock (%(n)d or fewer)") % {"n": settings.LOW_STOCK_THRESHOLD}),
            ("out", _("Out of stock")),
        ]

    def queryset(self, request, queryset):
        low = Q(stock_on_hand__gt=0, stock_on_hand__lte=settings.LOW_STOCK_THRESHOLD)
        condition = {"low": low, "out": Q(stock_on_hand=0)}.get(self.value())
        if condition is None:
            return queryset
        if queryset.model is Variant:
            return queryset.filter(condition)
        matching = Variant.objects.filter(
            condition, status=Variant.Status.ACTIVE, product=OuterRef("pk")
        )
        return queryset.filter(Exists(matching))


class VariantInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            name = form.cleaned_data.get("name", "")
            slug = variant_slug(name)
            if slug in seen:
                raise ValidationError(
                    _("Two variants are named “%(a)s” and “%(b)s”: variant names must differ.")
                    % {"a": seen[slug], "b": name}
                )
            seen[slug] = name
        if not seen:
            raise ValidationError(
                _("Every product needs at least one variant: it is what shoppers buy.")
            )


class VariantInline(admin.TabularInline):
    model = Variant
    formset = VariantInlineFormSet
    extra = 0
    min_num = 1
    fields = (
        "name",
        "sku",
        "price",
        "compare_at_price",
        "stock_on_hand",
        "option_values",
        "status",
        "position",
    )


class ChoicesField(forms.CharField):
    """A choice field's options as staff type them: one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 24})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(choice) for choice in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class LineFieldForm(forms.ModelForm):
    choices = ChoicesField(
        label=_("choices"),
        required=False,
        help_text=_("Choice fields: one option per line."),
    )

    class Meta:
        model = ProductLineField
        fields = ("key", "label", "kind", "required", "max_length", "choices", "position")


class ProductLineFieldInline(admin.TabularInline):
    """What shoppers fill in when adding the product (an engraving, a gift wrap)."""

    model = ProductLineField
    form = LineFieldForm
    extra = 0
    max_num = LINE_FIELDS_PER_PRODUCT
    fields = ("key", "label", "kind", "required", "max_length", "choices", "position")
    verbose_name = _("line field (what shoppers fill in when adding)")


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("preview", "image", "alt_text", "position")
    readonly_fields = ("preview",)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="height:64px;border-radius:6px">', obj.image.url
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = translated_name_form(Category)
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(OptionName)
class OptionNameAdmin(admin.ModelAdmin):
    """Names of variant options ("size", "colour") in the shop's other languages."""

    form = translated_name_form(OptionName, base="key", label=_("name"), max_length=50)
    list_display = ("key", "translated")
    search_fields = ("key",)

    @admin.display(description=_("translated names"))
    def translated(self, obj):
        return " · ".join(obj.name_translations.values()) or "—"


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = (
        "thumbnail",
        "name",
        "category",
        "status",
        "price_range",
        "stock",
        "position",
        "updated_at",
    )
    list_display_links = ("thumbnail", "name")
    list_editable = ("position",)
    list_filter = ("status", "category", LowStockFilter)
    search_fields = ("name", "slug", "variants__sku", "variants__name")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("category",)
    inlines = (VariantInline, ProductLineFieldInline, ProductImageInline)
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                min_price=Min("variants__price"),
                max_price=Max("variants__price"),
                total_stock=Sum("variants__stock_on_hand"),
            )
            .prefetch_related("images")
        )

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        image = next(iter(obj.images.all()), None)
        if image is None:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="height:40px;border-radius:4px">', image.image.url
        )

    @admin.display(description=_("price"), ordering="min_price")
    def price_range(self, obj):
        if obj.min_price is None:
            return "—"
        if obj.min_price == obj.max_price:
            return format_money(obj.min_price)
        return f"{format_money(obj.min_price)} – {format_money(obj.max_price)}"

    @admin.display(description=_("stock"), ordering="total_stock")
    def stock(self, obj):
        return obj.total_stock if obj.total_stock is not None else 0


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ("sku", "product", "name", "price", "stock_on_hand", "status")
    list_editable = ("price", "stock_on_hand")
    list_filter = ("status", "product__category", LowStockFilter)
    search_fields = ("sku", "name", "product__name")
    list_select_related = ("product",)
    autocomplete_fields = ("product",)
    readonly_fields = ("slug",)

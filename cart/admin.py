from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cart import services
from cart.models import (
    LINE_QUANTITY_CEILING,
    Cart,
    CartEvent,
    CartLine,
    SharedCart,
    SharedCartLine,
)
from catalog.exceptions import LinePropertyError
from catalog.models import Variant
from catalog.properties import MAX_PROPERTIES
from shop.admin import ReadOnlyInline, model_permission, permission_view
from shop.exceptions import DomainError
from shop.links import absolute_url


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


# --- Shared carts and assisted sales (issue 15, point 3) ---------------------------------


def _properties_shown(display) -> str:
    return (
        format_html_join(
            mark_safe("<br>"),
            "{}: {}",
            ((item.get("label", ""), item.get("value", "")) for item in display or ()),
        )
        or "—"
    )


class SharedCartLineInline(ReadOnlyInline):
    model = SharedCartLine
    fields = ("variant", "sku", "product_name", "variant_name", "properties_shown", "quantity")

    @admin.display(description=_("properties"))
    def properties_shown(self, obj):
        return _properties_shown(obj.properties_display)


class LinkStateFilter(admin.SimpleListFilter):
    title = _("link")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [("works", _("Works")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        if self.value() == "works":
            return queryset.filter(expires_at__gt=timezone.now())
        if self.value() == "expired":
            return queryset.filter(expires_at__lte=timezone.now())
        return queryset


class AssistedSaleForm(forms.Form):
    label = forms.CharField(
        label=_("For"),
        max_length=200,
        required=False,
        help_text=_(
            "Whom it is for (a name or an email address): shown in admin only, never on the link."
        ),
    )


class AssistedSaleLineForm(forms.Form):
    """One line of an assisted sale: a variant (searched as in the variant admin), how many,
    and line properties typed as `key: value` lines; the cart's rule checks them."""

    variant = forms.ModelChoiceField(
        queryset=Variant.objects.select_related("product"),
        required=False,
        label=_("Variant"),
        widget=AutocompleteSelect(SharedCartLine._meta.get_field("variant"), admin.site),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=LINE_QUANTITY_CEILING, required=False
    )
    properties = forms.CharField(
        label=_("Line properties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 32}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = (self.prefix or "").rsplit("-", 1)[-1]
        number = int(row) + 1 if row.isdigit() else 1
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = gettext("%(field)s, line %(number)d") % {
                "field": field.label,
                "number": number,
            }
            field.widget.attrs["data-testid"] = f"assisted-sale-{name}"

    def clean_properties(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in self.cleaned_data["properties"].splitlines():
            if not row.strip():
                continue
            key, separator, value = row.partition(":")
            key = key.strip()
            if not separator or not key:
                raise ValidationError(_("Write each property as key: value."))
            if key in values:
                raise ValidationError(_("%(key)s is given twice.") % {"key": key})
            values[key] = value.strip()
        if len(values) > MAX_PROPERTIES:
            raise ValidationError(_("At most %(max)d properties.") % {"max": MAX_PROPERTIES})
        return values

    def clean(self):
        data = super().clean()
        if data.get("variant") is None and (data.get("properties") or data.get("quantity")):
            self.add_error("variant", _("Pick a variant for this line."))
        return data


AssistedSaleLineFormSet = forms.formset_factory(
    AssistedSaleLineForm, extra=6, max_num=100, absolute_max=100, validate_max=True
)


@admin.register(SharedCart)
class SharedCartAdmin(admin.ModelAdmin):
    """Links to shared carts: shoppers' shares and staff's assisted sales. Staff holding
    "Can make assisted-sale links" make one for a customer (the add button leads there)."""

    change_form_template = "admin/cart/sharedcart/change_form.html"
    list_display = (
        "__str__",
        "kind",
        "label",
        "created_by",
        "line_count",
        "created_at",
        "expires_at",
        "open_count",
        "add_count",
    )
    list_filter = ("kind", LinkStateFilter, ("created_at", admin.DateFieldListFilter))
    search_fields = ("label", "created_by__email", "lines__sku", "lines__product_name")
    list_select_related = ("created_by",)
    inlines = (SharedCartLineInline,)
    fields = readonly_fields = (
        "kind",
        "label",
        "created_by",
        "created_at",
        "expires_at",
        "open_count",
        "add_count",
        "last_opened_at",
    )
    actions = ("expire_links",)

    has_assisted_sale_permission = model_permission("assisted_sale")

    def has_add_permission(self, request):
        return self.has_assisted_sale_permission(request)

    def has_view_permission(self, request, obj=None):
        # Those who make assisted-sale links see them (and copy them again) here.
        return super().has_view_permission(request, obj) or self.has_assisted_sale_permission(
            request
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lines_count=Count("lines"))

    @admin.display(description=_("lines"), ordering="lines_count")
    def line_count(self, obj):
        return obj.lines_count

    def get_urls(self):
        return [
            path(
                "assisted-sale/",
                permission_view(
                    self, self.assisted_sale_view, read="assisted_sale", write="assisted_sale"
                ),
                name="cart_sharedcart_assisted_sale",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:cart_sharedcart_assisted_sale")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        shared = self.get_object(request, unquote(object_id))
        if shared is not None:
            extra_context = {
                **(extra_context or {}),
                "share_url": absolute_url(request, services.shared_cart_path(shared.token)),
                "share_expired": shared.expires_at <= timezone.now(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("End the selected links now"), permissions=["change"])
    def expire_links(self, request, queryset):
        ended = services.shared_carts_expire(shared_cart_ids=queryset.values_list("pk", flat=True))
        message = ngettext("%(count)d link ended.", "%(count)d links ended.", ended)
        self.message_user(request, message % {"count": ended}, messages.SUCCESS)

    def assisted_sale_view(self, request):
        """Pick variants, quantities and line properties for a customer; get the link."""
        data = request.POST if request.method == "POST" else None
        form = AssistedSaleForm(data)
        lines = AssistedSaleLineFormSet(data, prefix="lines")
        if data is not None and form.is_valid() and lines.is_valid():
            picked = [line for line in lines.forms if line.cleaned_data.get("variant")]
            if not picked:
                form.add_error(None, _("Pick at least one variant."))
            else:
                try:
                    link = services.shared_cart_create_assisted(
                        items=[
                            services.LineRequest(
                                line.cleaned_data["variant"].pk,
                                line.cleaned_data.get("quantity") or 1,
                                line.cleaned_data["properties"],
                            )
                            for line in picked
                        ],
                        staff=request.user,
                        label=form.cleaned_data["label"],
                    )
                except DomainError as error:
                    _place_error(error, picked, form)
                else:
                    self.message_user(
                        request,
                        gettext("Link made: copy it and send it to the customer."),
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse("admin:cart_sharedcart_change", args=[link.shared_cart_id])
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assisted sale"),
            "form": form,
            "lines": lines,
            "media": self.media + form.media + lines.media,
            "opts": self.model._meta,
        }
        return render(request, "admin/cart/sharedcart/assisted_sale.html", context)


def _place_error(error: DomainError, picked: list[AssistedSaleLineForm], form) -> None:
    """Show a refusal on the line it is about (by its variant), else above the form."""
    variant_id = error.details.get("variant_id")
    if isinstance(error, LinePropertyError):
        field = "properties"
    elif error.field == "quantity":
        field = "quantity"
    else:
        field = "variant"
    rows = [line for line in picked if line.cleaned_data["variant"].pk == variant_id]
    for line in rows:
        line.add_error(field, error.message)
    if not rows:
        form.add_error(None, error.message)

"""Staff screens for gift cards: issue (the code is shown once), disable or enable, adjust a
balance with a reason, and every card's ledger. Each write goes through giftcards.services."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from giftcards import services
from giftcards.models import GiftCard, GiftCardEntry, GiftCardHold, GiftCardVariant
from shop.admin import ReadOnlyInline, model_permission, permission_view
from shop.exceptions import DomainError


class GiftCardIssueForm(forms.Form):
    balance = forms.DecimalField(
        label=_("Balance"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"), required=False, help_text=_("Empty: never expires.")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class GiftCardAdjustForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Change"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Positive adds to the balance, negative takes from it."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CardRecordInline(ReadOnlyInline):
    """Kept by the services; whoever may see a card sees these with it."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("giftcards.view_giftcard")


class GiftCardEntryInline(CardRecordInline):
    model = GiftCardEntry
    fields = (
        "created_at",
        "kind",
        "amount",
        "held_change",
        "balance_after",
        "order_number",
        "reason",
        "user",
    )
    verbose_name_plural = _("ledger")


class GiftCardHoldInline(CardRecordInline):
    model = GiftCardHold
    fields = ("order_number", "amount", "status", "created_at", "updated_at")


@admin.register(GiftCard)
class GiftCardAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "balance",
        "held",
        "available_display",
        "currency",
        "expires_at",
        "disabled",
        "order_number",
        "recipient_email",
        "created_at",
    )
    list_filter = ("disabled",)
    search_fields = ("last_four", "order_number", "recipient_email", "note")
    fields = (
        "last_four",
        "balance",
        "held",
        "currency",
        "expires_at",
        "disabled",
        "note",
        "order_number",
        "recipient_email",
        "message",
        "created_at",
    )
    readonly_fields = (
        "last_four",
        "balance",
        "held",
        "currency",
        "disabled",
        "order_number",
        "recipient_email",
        "message",
        "created_at",
    )
    inlines = (GiftCardHoldInline, GiftCardEntryInline)
    actions = ("disable", "enable")
    change_form_template = "admin/giftcards/giftcard/change_form.html"

    has_adjust_permission = model_permission("adjust")

    def has_delete_permission(self, request, obj=None):
        return False  # a card's ledger is kept; disable it instead

    @admin.display(description=_("can spend"))
    def available_display(self, obj):
        return obj.available

    def get_urls(self):
        return [
            path(
                "<int:card_id>/adjust/",
                permission_view(self, self.adjust_view, read="adjust", write="adjust"),
                name="giftcards_giftcard_adjust",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Issue a card through the service; its whole code is shown on this answer only."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GiftCardIssueForm(request.POST or None)
        issued = None
        if request.method == "POST" and form.is_valid():
            try:
                issued = services.gift_card_issue(
                    balance=form.cleaned_data["balance"],
                    expires_at=form.cleaned_data["expires_at"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except DomainError as exc:
                form.add_error("balance", exc.message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Issue a gift card"),
            "form": form,
            "issued": issued,
        }
        return render(request, "admin/giftcards/giftcard/issue.html", context)

    def adjust_view(self, request, card_id: int):
        card = get_object_or_404(GiftCard, pk=card_id)
        form = GiftCardAdjustForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.gift_card_adjust(
                    card_id=card.pk,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                self.message_user(request, _("Balance adjusted."), messages.SUCCESS)
                return redirect(reverse("admin:giftcards_giftcard_change", args=[card.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Adjust %(card)s") % {"card": card},
            "card": card,
            "form": form,
        }
        return render(request, "admin/giftcards/giftcard/adjust.html", context)

    def _set_disabled(self, request, queryset, disabled: bool, done: str):
        for card in queryset:
            services.gift_card_disable(card_id=card.pk, disabled=disabled, user=request.user)
        self.message_user(request, done % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(permissions=["change"], description=_("Disable selected gift cards"))
    def disable(self, request, queryset):
        self._set_disabled(request, queryset, True, _("%(count)d gift card(s) disabled."))

    @admin.action(permissions=["change"], description=_("Enable selected gift cards"))
    def enable(self, request, queryset):
        self._set_disabled(request, queryset, False, _("%(count)d gift card(s) enabled."))


@admin.register(GiftCardVariant)
class GiftCardVariantAdmin(admin.ModelAdmin):
    list_display = ("variant", "expires_after_days")
    raw_id_fields = ("variant",)  # a variant's id; its name shows beside it
    search_fields = ("variant__sku", "variant__product__name")

"""Staff screens for loyalty points: accounts with their ledger, and adjusting a shopper's
points with a reason (the "Can adjust loyalty points" permission)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loyalty import services
from loyalty.models import PointsAccount, PointsEntry
from shop.admin import ReadOnlyInline, model_permission, permission_view
from shop.exceptions import DomainError

ENTRY_FIELDS = (
    "created_at",
    "kind",
    "balance_change",
    "pending_change",
    "shortfall",
    "order",
    "available_at",
    "reason",
    "created_by",
)


class PointsEntryInline(ReadOnlyInline):
    model = PointsEntry
    fields = ENTRY_FIELDS
    ordering = ("-created_at", "-id")

    def has_view_permission(self, request, obj=None):
        # Part of the account: whoever may see the account sees its ledger.
        return True


class PointsAdjustForm(forms.Form):
    email = forms.EmailField(label=_("Shopper's email"))
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-2_000_000_000,
        max_value=2_000_000_000,
        help_text=_("Positive to give points, negative to take them."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=200, help_text=_("Kept in the ledger the shopper sees.")
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this email address."))
        self.user = user
        return email


@admin.register(PointsAccount)
class PointsAccountAdmin(admin.ModelAdmin):
    """Points accounts with their ledger; staff holding "Can adjust loyalty points" give or
    take points with a reason (the add button and "Adjust points" lead there)."""

    change_form_template = "admin/loyalty/pointsaccount/change_form.html"
    list_display = ("user", "balance", "pending", "updated_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = readonly_fields = ("user", "balance", "pending", "updated_at")
    inlines = (PointsEntryInline,)

    has_adjust_permission = model_permission("adjust")

    def has_add_permission(self, request):
        return self.has_adjust_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "adjust/",
                permission_view(self, self.adjust_view, read="adjust", write="adjust"),
                name="loyalty_pointsaccount_adjust",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:loyalty_pointsaccount_adjust")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        account = self.get_object(request, unquote(object_id))
        if account is not None and self.has_adjust_permission(request):
            url = reverse("admin:loyalty_pointsaccount_adjust")
            extra_context = {
                **(extra_context or {}),
                "adjust_url": f"{url}?user={account.user_id}",
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def adjust_view(self, request):
        """Give or take a shopper's points, with a reason kept in their ledger."""
        initial = {}
        user_id = request.GET.get("user", "")
        user = get_user_model().objects.filter(pk=user_id).first() if user_id.isdecimal() else None
        if user is not None:
            initial["email"] = user.email
        form = PointsAdjustForm(
            request.POST if request.method == "POST" else None, initial=initial
        )
        if form.is_valid():
            try:
                services.points_adjust(
                    user_id=form.user.pk,
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    staff=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(request, gettext("Points adjusted."), messages.SUCCESS)
                account = PointsAccount.objects.get(user=form.user)
                return redirect(reverse("admin:loyalty_pointsaccount_change", args=[account.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Adjust points"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/loyalty/pointsaccount/adjust.html", context)


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """Every change of every account's points, as the services wrote it: read only."""

    list_display = ("created_at", "account", "kind", "points", "shortfall", "order", "reason")
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter))
    search_fields = ("account__user__email", "order__number", "reason")
    list_select_related = ("account__user", "order")
    fields = readonly_fields = ("account", *ENTRY_FIELDS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

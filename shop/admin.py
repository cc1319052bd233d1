from functools import wraps

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from knox import admin as knox_admin
from knox.models import AuthToken

from shop.models import User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


# Staff permissions. Every admin action names the permission it needs,
# `@admin.action(permissions=["refund"])`, and Django offers and runs it only for staff whose
# ModelAdmin says `has_refund_permission(request)`. Django answers that for view, change, add
# and delete; for any other action the model declares it in `Meta.permissions`
# (("refund_order", ...)) and its admin says `has_refund_permission = model_permission("refund")`.
# A custom admin view goes through `permission_view`, so it answers 403 without the permission.


def model_permission(action: str):
    """A `has_<action>_permission` method asking for the model's "<action>_<model>" permission
    (declared in the model's Meta.permissions)."""

    def has_permission(self, request, obj=None) -> bool:
        codename = get_permission_codename(action, self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    has_permission.__name__ = f"has_{action}_permission"
    return has_permission


def permission_view(model_admin, view, *, read: str = "view", write: str = "change"):
    """A custom admin view open to staff (as `admin_site.admin_view`) holding the model
    permission its method needs: `read` for GET and HEAD, `write` for anything else; 403
    otherwise."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        needed = read if request.method in ("GET", "HEAD") else write
        if not getattr(model_admin, f"has_{needed}_permission")(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    checked.permission_checked = True  # what tests/shop/test_admin.py looks for
    return model_admin.admin_site.admin_view(checked)


class ReadOnlyInline(admin.TabularInline):
    """A record kept by the shop's services: shown in admin, never edited by hand."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    # Set only by the link in the confirmation email: it lets orders placed as a guest join.
    readonly_fields = ("last_login", "date_joined", "confirmed_email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "confirmed_email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


# knox's token admin names tokens by their digest, a text primary key: an address with NUL
# in it reached PostgreSQL, which refuses such text. Importing knox's admin module (above)
# registers it before autodiscovery would, so that it can be replaced here.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(knox_admin.AuthTokenAdmin):
    """API tokens, to see and revoke. Never to make: a token made here for someone else's
    account would let staff act as that shopper."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        if "\x00" in str(object_id):
            return None
        return super().get_object(request, object_id, from_field)

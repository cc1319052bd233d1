"""The staff permission pattern of shop/admin.py holds for every screen registered: each
admin action names the permission it needs, and each custom admin view checks one."""

import pytest
from django.contrib import admin

from tests.factories import StaffFactory, UserFactory

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    "model_admin", [a for _m, a in REGISTERED], ids=[m._meta.label for m, _a in REGISTERED]
)
def test_every_admin_action_names_its_permission(model_admin):
    for action in model_admin.actions or ():
        function = getattr(model_admin, action) if isinstance(action, str) else action
        assert getattr(function, "allowed_permissions", None), (
            f"{type(model_admin).__name__}.{function.__name__}: "
            "@admin.action(permissions=[...]) missing"
        )


@pytest.mark.parametrize(
    "model_admin", [a for _m, a in REGISTERED], ids=[m._meta.label for m, _a in REGISTERED]
)
def test_every_custom_admin_view_checks_a_permission(model_admin):
    standard = {p.name for p in admin.ModelAdmin.get_urls(model_admin)}
    # Django's own extra views (UserAdmin's password change) check their permission themselves.
    custom = [
        p
        for p in model_admin.get_urls()
        if p.name not in standard and not p.callback.__module__.startswith("django.")
    ]

    for pattern in custom:
        assert getattr(pattern.callback, "permission_checked", False), (
            f"{type(model_admin).__name__}: {pattern.name} is not wrapped in permission_view"
        )


@pytest.mark.django_db
def test_staff_cannot_make_api_tokens_for_other_accounts(client):
    from knox.models import AuthToken

    shopper = UserFactory()
    client.force_login(StaffFactory(is_superuser=True))

    form = client.get("/admin/knox/authtoken/add/")
    made = client.post("/admin/knox/authtoken/add/", {"user": shopper.pk, "expiry": ""})

    assert form.status_code == made.status_code == 403
    assert not AuthToken.objects.filter(user=shopper).exists()

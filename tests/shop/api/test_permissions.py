"""StaffModelPermissions: staff endpoints ask for the model permissions each method names,
and refuse a method that is handled but not named (a new handler is never left open)."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from shop.api.permissions import StaffModelPermissions
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


class ProductsView(APIView):
    permission_classes = [StaffModelPermissions]
    required_permissions = {"PATCH": ("catalog.change_product",)}

    def patch(self, request):
        return Response({"done": True})

    def put(self, request):  # handled, but named in no required_permissions
        return Response({"done": True})


def call(method, user):
    request = getattr(APIRequestFactory(), method)("/x/", {}, format="json")
    force_authenticate(request, user=user)
    return ProductsView.as_view()(request)


def test_a_named_method_needs_its_permissions():
    holder = StaffFactory(is_superuser=False, permissions=["catalog.change_product"])
    other = StaffFactory(is_superuser=False, permissions=["catalog.change_variant"])

    assert call("patch", holder).status_code == 200
    assert call("patch", other).status_code == 403
    assert call("patch", StaffFactory()).status_code == 200  # a superuser


def test_shoppers_and_inactive_staff_are_refused_even_holding_the_permission():
    shopper = UserFactory()
    shopper.user_permissions.add(Permission.objects.get(codename="change_product"))
    inactive = StaffFactory(
        is_superuser=False, is_active=False, permissions=["catalog.change_product"]
    )

    assert call("patch", shopper).status_code == 403
    assert call("patch", inactive).status_code == 403


def test_a_handled_method_left_unnamed_is_refused_and_an_unhandled_one_is_405():
    superuser = StaffFactory()

    assert call("put", superuser).status_code == 403
    assert call("delete", superuser).status_code == 405

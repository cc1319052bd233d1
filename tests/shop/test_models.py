import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from shop.models import User

pytestmark = pytest.mark.django_db


def test_email_is_the_login_name_and_is_stored_lower_case():
    user = User.objects.create_user(email="  Ada@Example.COM ", password="pw-123456-long")

    assert user.email == "ada@example.com"
    assert authenticate(username="ADA@example.com", password="pw-123456-long") == user


def test_two_accounts_cannot_share_an_email_whatever_its_case():
    User.objects.create_user(email="ada@example.com", password="x")

    with pytest.raises(IntegrityError):
        User.objects.create(email="ADA@example.com")


def test_superuser_is_staff_and_superuser():
    admin = User.objects.create_superuser(email="boss@example.com", password="x")

    assert admin.is_staff and admin.is_superuser

import pytest

from shop.exceptions import EmailAlreadyRegisteredError, InvalidPasswordError
from shop.models import User
from shop.services import user_create

pytestmark = pytest.mark.django_db


def test_user_create_registers_a_shopper_who_can_log_in():
    user = user_create(email="New@Example.com", password="a-long-unusual-passphrase")

    assert user.email == "new@example.com"
    assert user.check_password("a-long-unusual-passphrase")
    assert not user.is_staff


def test_user_create_refuses_an_email_already_registered():
    user_create(email="new@example.com", password="a-long-unusual-passphrase")

    with pytest.raises(EmailAlreadyRegisteredError):
        user_create(email="NEW@example.com", password="another-long-passphrase")
    assert User.objects.count() == 1


def test_user_create_applies_djangos_password_validators():
    with pytest.raises(InvalidPasswordError) as excinfo:
        user_create(email="new@example.com", password="12345")

    assert any("too short" in message for message in excinfo.value.messages)
    assert not User.objects.exists()

import pytest
from django.contrib.auth import get_user

from shop.models import User

pytestmark = pytest.mark.django_db


def test_login_page_has_the_contract_test_ids(client):
    response = client.get("/login/")

    assert response.status_code == 200
    for test_id in ("email-input", "password-input", "login-button"):
        assert f'data-testid="{test_id}"' in response.text


def test_login_without_next_lands_on_home(client, user, password):
    response = client.post("/login/", {"username": user.email, "password": password})

    assert response.status_code == 302
    assert response.url == "/"
    assert get_user(client).is_authenticated


def test_login_follows_a_safe_next(client, user, password):
    response = client.post(
        "/login/?next=/products/",
        {"username": user.email, "password": password, "next": "/products/"},
    )

    assert response.url == "/products/"


def test_login_ignores_a_next_on_another_site(client, user, password):
    response = client.post(
        "/login/", {"username": user.email, "password": password, "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_login_with_a_wrong_password_says_so_and_stays_logged_out(client, user):
    response = client.post("/login/", {"username": user.email, "password": "wrong"})

    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert not get_user(client).is_authenticated


def test_signup_creates_the_account_logs_in_and_goes_home(client):
    response = client.post(
        "/signup/", {"email": "new@example.com", "password": "a-long-unusual-passphrase"}
    )

    assert response.status_code == 302
    assert response.url == "/"
    assert get_user(client).email == "new@example.com"


def test_signup_shows_password_rules_and_creates_nothing(client):
    response = client.post("/signup/", {"email": "new@example.com", "password": "123"})

    assert response.status_code == 200
    assert "too short" in response.text
    assert not User.objects.exists()


def test_signup_with_a_taken_email_says_so(client, user):
    response = client.post(
        "/signup/", {"email": user.email.upper(), "password": "a-long-unusual-passphrase"}
    )

    assert "already exists" in response.text
    assert User.objects.count() == 1


def test_logout_is_a_post_that_lands_on_home(shopper_client):
    assert shopper_client.get("/logout/").status_code == 405

    response = shopper_client.post("/logout/")

    assert response.status_code == 302
    assert response.url == "/"
    assert not get_user(shopper_client).is_authenticated


def test_header_shows_the_user_menu_with_logout_when_logged_in(shopper_client, user):
    response = shopper_client.get("/")

    assert 'data-testid="user-menu"' in response.text
    assert 'data-testid="logout-button"' in response.text
    assert user.email in response.text


def test_header_offers_login_to_guests(client):
    response = client.get("/")

    assert 'data-testid="logout-button"' not in response.text
    assert 'href="/login/"' in response.text

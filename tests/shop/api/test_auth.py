import pytest
from knox.models import AuthToken

from cart.models import Cart
from cart.web import SESSION_CART_TOKEN
from shop.models import User
from tests.conftest import token_headers
from tests.factories import DEFAULT_PASSWORD, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_register_creates_a_shopper(api):
    response = api.post(
        "/api/v1/auth/register/",
        {"email": "Ada@Example.com", "password": "a-long-unusual-passphrase"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json() == {"id": User.objects.get().pk, "email": "ada@example.com"}


def test_register_applies_the_password_validators_and_names_the_field(api):
    response = api.post(
        "/api/v1/auth/register/", {"email": "ada@example.com", "password": "123"}, format="json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "invalid_password"
    assert any("too short" in m for m in body["errors"]["password"])
    assert not User.objects.exists()


def test_register_with_a_taken_email_or_a_bad_one_is_400(api):
    UserFactory(email="ada@example.com")

    taken = api.post(
        "/api/v1/auth/register/",
        {"email": "ADA@example.com", "password": "a-long-unusual-passphrase"},
        format="json",
    )
    bad = api.post("/api/v1/auth/register/", {"email": "nope", "password": "x"}, format="json")

    assert taken.status_code == 400 and taken.json()["errors"] == {
        "email": ["An account with this email address already exists."]
    }
    assert bad.status_code == 400 and "email" in bad.json()["errors"]


def test_token_for_right_credentials_and_invalid_credentials_code_for_wrong(api):
    user = UserFactory()

    good = api.post(
        "/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    bad = api.post(
        "/api/v1/auth/token/", {"email": user.email, "password": "wrong"}, format="json"
    )

    assert good.status_code == 200 and len(good.json()["token"]) >= 32
    assert bad.status_code == 400
    assert bad["Content-Type"] == PROBLEM
    assert bad.json()["code"] == "invalid_credentials"


def test_a_token_authenticates_and_logout_revokes_it(api):
    user = UserFactory()
    key = api.post(
        "/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert (
        api.post("/api/v1/cart/merge/", {"cart_token": "x" * 43}, format="json").status_code == 404
    )
    assert api.post("/api/v1/auth/logout/").status_code == 204

    again = api.post("/api/v1/auth/logout/")
    assert again.status_code == 401
    assert again.json()["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(user=user).exists()


def test_logout_revokes_only_the_token_used(api):
    user = UserFactory()
    phone, tablet = token_headers(user), token_headers(user)

    api.post("/api/v1/auth/logout/", headers=phone)

    assert api.get("/api/v1/cart/", headers=phone).status_code == 401
    assert api.get("/api/v1/cart/", headers=tablet).status_code == 200


def test_logout_without_credentials_is_401(api):
    response = api.post("/api/v1/auth/logout/")

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token zzzz", "Token \u00e9\u00e9", "Token 00"]
)
def test_malformed_tokens_are_401_not_500(api, header):
    response = api.get("/api/v1/cart/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_getting_a_token_with_a_cart_token_merges_that_guest_cart(api):
    user = UserFactory()
    variant = VariantFactory(stock_on_hand=10)
    api.post(
        "/api/v1/cart/items/",
        {"variant_id": variant.pk, "quantity": 2},
        format="json",
        headers=token_headers(user),
    )
    guest = api.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 3}, format="json"
    )
    guest_token = guest.json()["token"]

    response = api.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": DEFAULT_PASSWORD},
        format="json",
        headers={"X-Cart-Token": guest_token},
    )

    assert response.status_code == 200
    assert response.json()["cart_merge"]["joined"]
    cart = Cart.objects.get(user=user, status="open")
    assert cart.lines.get().quantity == 5
    assert Cart.objects.get(token=guest_token).status == Cart.Status.MERGED


def test_getting_a_token_leaves_the_browsers_own_guest_cart_alone(client):
    user = UserFactory()
    variant = VariantFactory(stock_on_hand=10)
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2})  # the browser's cart
    browser_token = client.session[SESSION_CART_TOKEN]

    response = client.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": DEFAULT_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200 and "cart_merge" not in response.json()
    assert client.session[SESSION_CART_TOKEN] == browser_token
    assert Cart.objects.get(token=browser_token).status == Cart.Status.OPEN
    assert client.get("/cart/").context["cart"].total_items == 2


def test_a_login_without_the_messages_middleware_still_merges(client):
    user = UserFactory()
    variant = VariantFactory(stock_on_hand=10)
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2})

    assert client.login(email=user.email, password=DEFAULT_PASSWORD)  # no message middleware

    assert Cart.objects.get(user=user, status="open").lines.get().quantity == 2

"""Orders placed as a guest join the account of the same email once that email is confirmed."""

import json
import re
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client

from checkout.models import Order
from shop.models import OutboxTask, User
from shop.services import user_email_confirm
from shop.tokens import email_confirmation_token
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-unusual-passphrase"
FORM = {
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "standard",
    "action": "pay",
}


def guest_order(variant, email: str, *, paid: bool = True) -> tuple[Client, Order]:
    """A guest, in a browser of their own, places (and pays) an order with `email`."""
    guest = Client()
    guest.post("/cart/add/", {"variant_id": variant.pk})
    pay_url = guest.post("/checkout/", {**FORM, "email": email}).url
    if paid:
        guest.post(pay_url, {"outcome": "pay"})
    return guest, Order.objects.get(number=guest.session["checkout_orders"][-1])


def confirmation_link(to: str) -> str:
    """The path of the confirmation link in the last email sent to `to`."""
    sent = [m for m in mail.outbox if to in m.to]
    assert sent, f"no email to {to}"
    return re.search(r"https?://[^/\s]+(/account/confirm/[^\s]+/)", sent[-1].body).group(1)


def my_order_numbers(client) -> list[str]:
    return re.findall(r'data-testid="order-number">([^<]+)<', client.get("/orders/").text)


def test_the_confirmation_page_offers_a_guest_to_create_an_account(variant):
    guest, order = guest_order(variant, "grace@example.com")

    page = guest.get(f"/checkout/success/?order={order.number}").text

    offer = re.search(r'<a [^>]*data-testid="create-account"[^>]*>', page).group(0)
    assert 'href="/signup/?email=grace%40example.com&amp;next=/orders/"' in offer
    signup = guest.get("/signup/?email=grace%40example.com&next=/orders/").text
    assert re.search(r'<input[^>]*name="email"[^>]*value="grace@example.com"', signup)
    assert 'name="next" value="/orders/"' in signup


def test_a_logged_in_shopper_is_not_offered_an_account(client, variant):
    client.force_login(UserFactory())
    client.post("/cart/add/", {"variant_id": variant.pk})
    pay_url = client.post("/checkout/", {**FORM, "email": "x@example.com"}).url
    page = client.post(pay_url, {"outcome": "pay"}, follow=True).text

    assert 'data-testid="order-confirmation"' in page
    assert 'data-testid="create-account"' not in page


def test_guest_orders_join_the_account_once_its_email_is_confirmed(
    variant, django_capture_on_commit_callbacks
):
    guest, first = guest_order(variant, "Grace@Example.com")
    _, second = guest_order(variant, "grace@example.COM")
    _, unpaid = guest_order(variant, "grace@example.com", paid=False)
    _, someone_elses = guest_order(variant, "ada@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = guest.post(
            "/signup/", {"email": "grace@example.com", "password": PASSPHRASE, "next": "/orders/"}
        )

    assert response.status_code == 302 and response.url == "/orders/"
    assert my_order_numbers(guest) == []  # not before the email is proven
    orders_page = guest.get("/orders/").text
    assert 'data-testid="email-unconfirmed"' in orders_page
    link = confirmation_link("grace@example.com")
    assert guest.get(link).status_code == 200
    assert not Order.objects.filter(user__isnull=False).exists()  # a GET changes nothing

    confirmed = guest.post(link, follow=True)

    user = User.objects.get(email="grace@example.com")
    assert user.email_confirmed
    assert "is confirmed" in confirmed.text
    assert sorted(my_order_numbers(guest)) == sorted(o.number for o in (first, second, unpaid))
    assert Order.objects.get(pk=someone_elses.pk).user is None
    assert 'data-testid="email-unconfirmed"' not in guest.get("/orders/").text


def test_the_link_is_emailed_through_the_outbox_by_task_name(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/signup/", {"email": "new@example.com", "password": PASSPHRASE})

    task = OutboxTask.objects.get(name="shop.tasks.email_confirmation_send_task")
    assert task.kwargs["user_id"] == User.objects.get().pk and task.dispatched_at
    (message,) = mail.outbox
    assert message.to == ["new@example.com"]
    assert "confirm" in message.subject.lower()
    assert "http://testserver/account/confirm/" in message.body


def test_an_api_signup_is_sent_the_link_too(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/auth/register/",
            {"email": "app@example.com", "password": PASSPHRASE},
            format="json",
        )

    assert response.status_code == 201
    assert confirmation_link("app@example.com")


def test_signing_up_with_someone_elses_email_never_shows_their_orders(variant):
    _, order = guest_order(variant, "victim@example.com")
    intruder = Client()
    intruder.post("/signup/", {"email": "victim@example.com", "password": PASSPHRASE})
    user = User.objects.get(email="victim@example.com")

    intruder.post("/logout/")
    intruder.post("/login/", {"username": "victim@example.com", "password": PASSPHRASE})
    # Without the email the intruder has no link: a made-up one, someone else's with the
    # intruder's account put in, or a real one altered.
    someone_elses = email_confirmation_token(UserFactory())
    payload = {"user": user.pk, "address": "0" * 32}
    relabelled = signing.b64_encode(json.dumps(payload).encode()).decode()
    forged = [
        "/account/confirm/nope/",
        f"/account/confirm/{relabelled}{someone_elses[someone_elses.index(':') :]}/",
        "/account/confirm/" + email_confirmation_token(user)[:-2] + "xx/",
    ]
    answers = [intruder.post(link).status_code for link in forged]

    assert answers == [400, 400, 400]
    assert my_order_numbers(intruder) == []
    assert Order.objects.get(pk=order.pk).user is None


def test_a_link_is_void_once_the_email_changes(variant):
    user = UserFactory(email="old@example.com")
    link = f"/account/confirm/{email_confirmation_token(user)}/"
    User.objects.filter(pk=user.pk).update(email="new@example.com")
    guest_order(variant, "new@example.com")

    assert Client().post(link).status_code == 400
    assert not User.objects.get(pk=user.pk).email_confirmed
    assert not Order.objects.filter(user=user).exists()


def test_a_link_expires(settings):
    settings.EMAIL_CONFIRMATION_DAYS = 3
    user = UserFactory()
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        link = f"/account/confirm/{email_confirmation_token(user)}/"

    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000 + 4 * 86400):
        answer = Client().post(link)

    assert answer.status_code == 400
    assert "expired" in answer.text
    assert not User.objects.get(pk=user.pk).email_confirmed


def test_a_confirmed_shopper_who_logs_in_gets_the_guest_orders_placed_since(variant):
    user = UserFactory(email="grace@example.com")
    user_email_confirm(user=user)
    _, order = guest_order(variant, "GRACE@example.com")

    browser = Client()
    browser.post("/login/", {"username": "grace@example.com", "password": DEFAULT_PASSWORD})

    assert my_order_numbers(browser) == [order.number]


def test_an_unconfirmed_shopper_who_logs_in_does_not(variant):
    UserFactory(email="grace@example.com")
    _, order = guest_order(variant, "grace@example.com")

    browser = Client()
    browser.post("/login/", {"username": "grace@example.com", "password": DEFAULT_PASSWORD})

    assert my_order_numbers(browser) == []
    assert Order.objects.get(pk=order.pk).user is None


def test_an_order_of_another_account_never_moves(variant):
    owner = UserFactory(email="owner@example.com")
    Order.objects.filter(pk=guest_order(variant, "grace@example.com")[1].pk).update(user=owner)
    user = UserFactory(email="grace@example.com")

    user_email_confirm(user=user)

    assert Order.objects.get().user == owner


def test_a_shopper_can_ask_for_the_link_again(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="late@example.com")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/confirm/", follow=True)

    assert "We have sent a new link to late@example.com" in response.text
    assert confirmation_link("late@example.com")
    user_email_confirm(user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/confirm/")
    assert mail.outbox == []
    assert Client().post("/account/confirm/").status_code == 302  # to the login page

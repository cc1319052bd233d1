import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cart.models import Cart, CartEvent
from cart.selectors import CartOwner, cart_summary
from cart.web import SESSION_CART_TOKEN
from checkout import services
from recovery import links
from recovery import services as retention
from recovery.models import EmailOptOut
from shop.tasks import sessions_clear_expired
from tests.factories import (
    CartFactory,
    CartLineFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def idle(cart, for_):
    Cart.objects.filter(pk=cart.pk).update(last_activity_at=timezone.now() - for_)
    cart.refresh_from_db()
    return cart


# --- expiry --------------------------------------------------------------------------------


@pytest.mark.postgres
def test_idle_carts_expire_by_their_owners_ttl_but_never_during_checkout(
    settings, shipping_methods
):
    settings.GUEST_CART_TTL_DAYS, settings.USER_CART_TTL_DAYS = 7, 30
    old_guest = idle(CartFactory(), 8 * DAY)
    fresh_guest = idle(CartFactory(), 6 * DAY)
    old_user = idle(CartFactory(user=UserFactory()), 31 * DAY)
    young_user = idle(CartFactory(user=UserFactory()), 10 * DAY)
    owner = guest_cart((VariantFactory(), 1))
    start(owner)
    paying = idle(Cart.objects.get(token=owner.token), 9 * DAY)

    result = retention.carts_expire_idle()

    statuses = dict(Cart.objects.values_list("pk", "status"))
    assert result.carts == 2
    assert statuses[old_guest.pk] == statuses[old_user.pk] == "expired"
    assert statuses[fresh_guest.pk] == statuses[young_user.pk] == statuses[paying.pk] == "open"
    events = CartEvent.objects.filter(type="cart_expired")
    assert sorted(events.values_list("cart_id", flat=True)) == sorted([old_guest.pk, old_user.pk])
    assert events.get(cart=old_user).payload["ttl_days"] == 30
    assert retention.carts_expire_idle().carts == 0  # a second run changes nothing more


@pytest.mark.postgres
def test_expiry_works_through_tens_of_thousands_in_bounded_batches(settings):
    settings.GUEST_CART_TTL_DAYS = 7
    long_ago = timezone.now() - 30 * DAY
    Cart.objects.bulk_create(
        Cart(token=f"bulk-{i:06d}", last_activity_at=long_ago) for i in range(25_000)
    )

    with CaptureQueriesContext(connection) as ctx:
        result = retention.carts_expire_idle(batch_size=2_000)

    assert result.carts == 25_000
    assert result.batches == 13
    listing = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "cart_cart"."id"')
    ]
    assert listing and all("LIMIT 2000" in sql and "SKIP LOCKED" in sql for sql in listing)
    assert Cart.objects.filter(status="open").count() == 0
    assert CartEvent.objects.filter(type="cart_expired").count() == 25_000


def test_expired_sessions_are_cleared(client):
    from django.contrib.sessions.models import Session

    client.get("/")
    client.post("/cart/add/", {"variant_id": VariantFactory().pk})
    Session.objects.update(expire_date=timezone.now() - DAY)

    assert sessions_clear_expired() == 1
    assert not Session.objects.exists()


# --- abandoned carts -----------------------------------------------------------------------


@pytest.fixture
def abandoned_user_cart(settings):
    settings.CART_ABANDON_AFTER_HOURS = 24
    settings.SITE_URL = ""
    user = UserFactory(email="ada@example.com")
    cart = CartFactory(user=user, site_url="http://shop.test")
    kettle = VariantFactory(product=ProductFactory(name="Copper Kettle", variants=0))
    CartLineFactory(cart=cart, variant=kettle, quantity=2)
    return idle(cart, 2 * DAY)


def test_an_abandoned_cart_gets_one_event_and_one_reminder(
    abandoned_user_cart, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = retention.carts_remind_abandoned()
        second = retention.carts_remind_abandoned()

    assert (first, second) == (1, 0)
    event = CartEvent.objects.get(type="cart_abandoned")
    assert event.payload["change"]["reminder"] == "sent"
    [email] = mail.outbox
    assert email.to == ["ada@example.com"]
    assert "Copper Kettle" in email.body
    assert re.search(r"http://shop\.test/cart/recover/\S+/", email.body)
    assert "http://shop.test/cart/unsubscribe/" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith(
        "<http://shop.test/cart/unsubscribe/"
    )
    assert email.alternatives[0][1] == "text/html"


def test_who_gets_no_reminder(settings, shipping_methods, django_capture_on_commit_callbacks):
    settings.CART_ABANDON_AFTER_HOURS = 24
    nobody = CartFactory()  # a guest who never gave an email
    CartLineFactory(cart=nobody)
    empty = CartFactory(user=UserFactory())  # nothing in it
    recent = CartFactory(user=UserFactory())
    CartLineFactory(cart=recent)
    for cart in (nobody, empty):
        idle(cart, 3 * DAY)
    owner = guest_cart((VariantFactory(), 1))
    start(owner, email="paying@example.com")  # checkout in progress
    idle(Cart.objects.get(token=owner.token), 3 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.carts_remind_abandoned() == 0
    assert mail.outbox == []


def test_no_reminder_after_unsubscribing(abandoned_user_cart, django_capture_on_commit_callbacks):
    client = Client()
    token = links.unsubscribe_token("ADA@example.com")

    page = client.get(f"/cart/unsubscribe/{token}/")
    done = client.post(f"/cart/unsubscribe/{token}/")
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.carts_remind_abandoned() == 0

    assert "Stop sending cart reminders to ada@example.com?" in page.text
    assert 'data-testid="unsubscribed"' in done.text
    assert EmailOptOut.objects.get().email == "ada@example.com"
    assert mail.outbox == []
    assert (
        CartEvent.objects.get(type="cart_abandoned").payload["change"]["reason"] == "unsubscribed"
    )
    assert client.get("/cart/unsubscribe/tampered/").status_code == 400


def test_no_reminder_to_someone_who_has_since_bought_those_items(
    abandoned_user_cart, shipping_methods, django_capture_on_commit_callbacks
):
    variant = abandoned_user_cart.lines.get().variant
    bought = CartOwner(user=UserFactory(email="other-account@example.com"))
    from cart import services as cart_services

    cart_services.cart_add_line(owner=bought, variant_id=variant.pk, source="test")
    order = start(bought, email="ada@example.com").order
    services.order_mark_paid(order_id=order.pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.carts_remind_abandoned() == 0
    assert mail.outbox == []


# --- recovery -----------------------------------------------------------------------------


def test_the_recovery_link_restores_a_guest_cart_in_another_browser(shipping_methods):
    owner = guest_cart((VariantFactory(), 2))
    cart = Cart.objects.get(token=owner.token)
    other_browser = Client()

    response = other_browser.get(f"/cart/recover/{links.cart_recovery_token(cart)}/", follow=True)

    assert "Welcome back!" in response.text
    cart.refresh_from_db()  # using the link gave the cart a new token
    assert other_browser.session[SESSION_CART_TOKEN] == cart.token
    assert 'data-testid="cart-count">2<' in response.text
    assert CartEvent.objects.filter(type="cart_recovered", cart=cart).count() == 1


def test_an_expired_cart_comes_back_open(shipping_methods):
    owner = guest_cart((VariantFactory(), 1))
    Cart.objects.filter(token=owner.token).update(status=Cart.Status.EXPIRED)
    cart = Cart.objects.get(token=owner.token)

    Client().get(f"/cart/recover/{links.cart_recovery_token(cart)}/")

    cart.refresh_from_db()
    assert cart.status == Cart.Status.OPEN


def test_a_shoppers_cart_link_asks_them_to_log_in(abandoned_user_cart):
    token = links.cart_recovery_token(abandoned_user_cart)

    response = Client().get(f"/cart/recover/{token}/")

    assert response.url == "/login/?next=/cart/"


def test_a_tampered_or_expired_link_says_so(abandoned_user_cart, monkeypatch, settings):
    settings.CART_RECOVERY_LINK_DAYS = 14
    good = links.cart_recovery_token(abandoned_user_cart)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 15 * 86400)
    old = links.cart_recovery_token(abandoned_user_cart)
    monkeypatch.setattr(signing.time, "time", real_time)

    for token in (good[:-2] + "xx", old):
        response = Client().get(f"/cart/recover/{token}/", follow=True)
        assert "This link is not valid any more." in response.text
    assert not CartEvent.objects.filter(type="cart_recovered").exists()


def test_paying_a_reminded_cart_counts_as_recovered(shipping_methods, settings):
    owner = guest_cart((VariantFactory(), 1))
    order = start(owner, email="guest@example.com").order
    Cart.objects.filter(token=owner.token).update(reminded_at=timezone.now())

    services.order_mark_paid(order_id=order.pk)

    event = CartEvent.objects.get(type="cart_recovered")
    assert event.payload["change"]["via"] == "payment"
    assert cart_summary(owner=owner).is_empty

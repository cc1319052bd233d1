"""Recovery links are single-use bearer credentials into a guest cart; merging into a logged-in
shopper's cart needs a confirming POST; reminders go only to confirmed addresses."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from cart.models import Cart, CartEvent
from cart.selectors import CartOwner, cart_summary
from cart.web import SESSION_CART_TOKEN
from checkout import services
from recovery import links
from recovery import services as retention
from tests.factories import CartFactory, CartLineFactory, UserFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

INVALID = "This link is not valid any more."


@pytest.fixture
def guest(shipping_methods):
    owner = guest_cart((VariantFactory(), 2))
    return Cart.objects.get(token=owner.token)


def link(cart) -> str:
    return f"/cart/recover/{links.cart_recovery_token(cart)}/"


def test_a_guest_link_works_once_and_then_answers_like_an_invalid_one(guest):
    url = link(guest)
    first, second = Client(), Client()

    opened = first.get(url, follow=True)
    again = second.get(url, follow=True)
    forged = Client().get("/cart/recover/forged/", follow=True)

    assert "Welcome back!" in opened.text
    assert INVALID in again.text and INVALID in forged.text
    assert again.redirect_chain == forged.redirect_chain
    assert SESSION_CART_TOKEN not in second.session
    assert CartEvent.objects.filter(type="cart_recovered").count() == 1


def test_using_the_link_rotates_the_guest_carts_token(guest, api):
    old_token = guest.token
    browser = Client()

    browser.get(link(guest))

    guest.refresh_from_db()
    assert guest.token != old_token
    assert browser.session[SESSION_CART_TOKEN] == guest.token
    assert cart_summary(owner=CartOwner(token=old_token)).is_empty
    assert api.get("/api/v1/cart/", headers={"X-Cart-Token": old_token}).json()["id"] is None
    assert cart_summary(owner=CartOwner(token=guest.token)).total_items == 2


def test_a_link_made_before_links_were_single_use_no_longer_opens_a_guest_cart(guest):
    old_style = signing.dumps({"cart": guest.pk}, salt=links.RECOVERY_SALT)

    response = Client().get(f"/cart/recover/{old_style}/", follow=True)

    assert INVALID in response.text
    assert not CartEvent.objects.filter(type="cart_recovered").exists()


def test_a_logged_in_visitor_is_asked_before_a_guest_cart_joins_theirs(guest):
    shopper = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(shopper)
    url = link(guest)

    page = browser.get(url)
    forged = browser.post(url)  # no CSRF token: another site cannot merge it for them

    assert page.status_code == 200
    assert 'data-testid="recover-confirm"' in page.text
    assert "2" in page.text and guest.lines.get().product_name in page.text
    assert forged.status_code == 403
    guest.refresh_from_db()
    assert guest.status == Cart.Status.OPEN
    assert cart_summary(owner=CartOwner(user=shopper)).is_empty
    assert not CartEvent.objects.filter(type="cart_recovered").exists()

    confirmed = browser.post(url, {"csrfmiddlewaretoken": page.context["csrf_token"]})

    assert confirmed.status_code == 302 and confirmed.url == "/cart/"
    guest.refresh_from_db()
    assert guest.status == Cart.Status.MERGED
    assert cart_summary(owner=CartOwner(user=shopper)).total_items == 2
    assert INVALID in browser.get(url, follow=True).text  # used up


def test_a_logged_in_visitor_with_a_used_link_is_told_it_is_invalid(guest):
    url = link(guest)
    Client().get(url)
    browser = Client()
    browser.force_login(UserFactory())

    response = browser.get(url, follow=True)

    assert INVALID in response.text
    assert 'data-testid="recover-confirm"' not in response.text


def test_a_shoppers_own_cart_link_keeps_working_as_before(settings):
    user = UserFactory()
    cart = CartFactory(user=user)
    CartLineFactory(cart=cart, quantity=1)
    url = link(cart)

    logged_out = [Client().get(url) for _ in range(2)]
    owner = Client()
    owner.force_login(user)
    opened = owner.get(url, follow=True)

    assert [r.url for r in logged_out] == ["/login/?next=/cart/"] * 2
    assert "Welcome back!" in opened.text
    cart.refresh_from_db()
    assert cart.status == Cart.Status.OPEN


# --- who gets reminders ---------------------------------------------------------------------


def _abandon(owner):
    cart = Cart.objects.get(token=owner.token)
    Cart.objects.filter(pk=cart.pk).update(last_activity_at=timezone.now() - timedelta(days=2))
    return cart


def test_a_guest_email_never_confirmed_gets_no_reminder_and_the_event_says_why(
    settings, shipping_methods, django_capture_on_commit_callbacks
):
    settings.CART_ABANDON_AFTER_HOURS = 24
    owner = guest_cart((VariantFactory(), 1))
    order = start(owner, email="someone-else@example.com").order
    services.order_cancel(order_id=order.pk, reason="abandoned")
    _abandon(owner)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.carts_remind_abandoned() == 0

    assert mail.outbox == []
    event = CartEvent.objects.get(type="cart_abandoned")
    assert event.payload["change"]["reminder"] == "skipped"
    assert event.payload["change"]["reason"] == "unconfirmed_email"


def test_a_guest_email_confirmed_by_a_paid_order_gets_reminders(
    settings, shipping_methods, django_capture_on_commit_callbacks
):
    settings.CART_ABANDON_AFTER_HOURS = 24
    earlier = start(guest_cart((VariantFactory(), 1)), email="Guest@example.com").order
    services.order_mark_paid(order_id=earlier.pk)  # its confirmation went to that address
    owner = guest_cart((VariantFactory(), 1))
    order = start(owner, email="guest@example.com").order
    services.order_cancel(order_id=order.pk, reason="abandoned")
    _abandon(owner)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.carts_remind_abandoned() == 1

    assert mail.outbox[-1].to == ["guest@example.com"]

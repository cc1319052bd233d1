"""Coming back from the payment page without paying: the page offers to cancel, and only a
POST from the shop's own page (CSRF-protected) cancels. A link or a cross-site GET cannot."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from checkout.models import Order
from inventory.models import StockReservation
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

FORM = {
    "email": "guest@example.com",
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "standard",
    "action": "pay",
}


@pytest.fixture
def shopper(variant):
    """A browser (with CSRF checks, as a real one) whose checkout is waiting for payment."""
    client = Client(enforce_csrf_checks=True)
    client.get("/cart/")
    client.post(
        "/cart/add/",
        {
            "variant_id": variant.pk,
            "quantity": 2,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    client.post("/checkout/", {**FORM, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    return client, Order.objects.get()


def cancel_form(page_text: str) -> dict:
    """The fields the cancel page's form posts."""
    form = re.search(r'<form[^>]*action="/checkout/cancel/"[^>]*>(.*?)</form>', page_text, re.S)
    assert form, "the page has no cancel form"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1]))


def test_the_return_page_cancels_only_when_the_shopper_presses_the_button(shopper):
    client, order = shopper

    page = client.get(f"/checkout/cancel/?order={order.number}")

    assert page.status_code == 200
    assert "Cancel this payment and return to the cart" in page.text
    assert order.number in page.text
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert StockReservation.objects.filter(order_id=order.pk, status="active").exists()

    fields = cancel_form(page.text)
    response = client.post("/checkout/cancel/", fields)

    assert response.status_code == 302 and response.url == "/cart/"
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "abandoned"
    assert not StockReservation.objects.filter(order_id=order.pk, status="active").exists()


def test_the_page_offers_to_go_back_to_paying(shopper):
    client, order = shopper

    page = client.get(f"/checkout/cancel/?order={order.number}")

    assert 'data-testid="resume-payment"' in page.text
    assert f'href="{order.payment_url}"' in page.text


def test_a_cross_site_post_without_the_csrf_token_cancels_nothing(shopper):
    client, order = shopper

    response = client.post("/checkout/cancel/", {"order": order.number})

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_someone_elses_order_is_not_cancelled(shopper):
    _client, order = shopper
    stranger = Client()

    page = stranger.get(f"/checkout/cancel/?order={order.number}")
    posted = stranger.post("/checkout/cancel/", {"order": order.number})

    assert page.status_code == 302 and page.url == "/cart/"
    assert posted.status_code == 302 and posted.url == "/cart/"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


@pytest.mark.parametrize("junk", ["", "\x00", "NW-NOPE-NOPE", "x" * 500])
def test_a_cancel_post_for_no_order_changes_nothing(shopper, junk):
    client, order = shopper

    response = client.post(
        "/checkout/cancel/",
        {"order": junk, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )

    assert response.status_code == 302 and response.url == "/cart/"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_coming_back_for_an_order_already_paid_shows_it(
    shopper, django_capture_on_commit_callbacks
):
    from checkout import services

    client, order = shopper
    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order_id=order.pk)

    response = client.get(f"/checkout/cancel/?order={order.number}")

    assert response.status_code == 302
    assert response.url == f"/checkout/success/?order={order.number}"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_stripes_cancel_url_shows_the_page_and_the_button_ends_the_session(
    fake_stripe, variant, django_capture_on_commit_callbacks
):
    order = start(guest_cart((variant, 1))).order
    [call] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    cancel_url = urlsplit(call["form"]["cancel_url"])
    client = Client(enforce_csrf_checks=True)
    session = client.session
    session["checkout_orders"] = [order.number]
    session.save()

    page = client.get(f"{cancel_url.path}?{cancel_url.query}")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/checkout/cancel/", cancel_form(page.text))

    assert page.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert fake_stripe.sessions[order.payment_session_id]["status"] == "expired"

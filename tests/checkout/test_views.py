import re

import pytest
from django.core import mail
from django.test import Client

from catalog.models import Variant
from checkout import services
from checkout.models import Order
from inventory.services import stock_set
from tests.factories import StaffFactory, UserFactory, VariantFactory
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
def shopper_with_cart(client, variant):
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2})
    return client


def test_checkout_page_shows_the_form_and_the_summary(shopper_with_cart):
    response = shopper_with_cart.get("/checkout/")

    text = response.text
    for test_id in ("checkout-form", "email-input", "checkout-submit"):
        assert f'data-testid="{test_id}"' in text
    assert re.search(r'data-testid="checkout-subtotal">\$80\.00<', text)
    assert re.search(r'data-testid="checkout-shipping">Free<', text)  # over the $75 threshold
    assert 'value="88.00"' in text  # the total the shopper confirms


def test_a_logged_in_shopper_finds_their_email_filled_in(client, variant):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    client.post("/cart/add/", {"variant_id": variant.pk})

    assert 'value="ada@example.com"' in client.get("/checkout/").text


def test_an_empty_or_invalid_cart_says_why_and_offers_no_form(client, variant):
    empty = client.get("/checkout/")
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2})
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=1)
    invalid = client.get("/checkout/")

    assert "Your cart is empty" in empty.text and 'data-testid="checkout-form"' not in empty.text
    assert "need your attention" in invalid.text and "Only 1 left in stock" in invalid.text
    assert 'data-testid="checkout-form"' not in invalid.text


def test_submitting_goes_to_the_test_payment_page_built_from_the_request_host(
    shopper_with_cart, settings
):
    settings.ALLOWED_HOSTS = ["shop.example", "testserver"]
    response = shopper_with_cart.post("/checkout/", FORM, HTTP_HOST="shop.example:8123")

    assert response.status_code == 302
    assert response.url.startswith("http://shop.example:8123/checkout/pay/")
    page = shopper_with_cart.get(response.url)
    assert "no money moves" in page.text
    assert (
        'data-testid="test-payment-pay"' in page.text
        and 'data-testid="test-payment-fail"' in page.text
    )


def test_site_url_wins_over_the_request_host(shopper_with_cart, settings):
    settings.SITE_URL = "https://shop.example.com"

    response = shopper_with_cart.post("/checkout/", FORM)

    assert response.url.startswith("https://shop.example.com/checkout/pay/")


def test_bad_input_is_shown_next_to_each_field_and_creates_nothing(shopper_with_cart):
    response = shopper_with_cart.post(
        "/checkout/", {**FORM, "email": "nope", "postal_code": "!", "country": "XX", "name": ""}
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "Please enter a valid postal code." in response.text
    assert "Select a valid choice" in response.text
    assert not Order.objects.exists()


def test_a_moved_total_asks_for_confirmation(shopper_with_cart, variant):
    Variant.objects.filter(pk=variant.pk).update(price="45.00")

    response = shopper_with_cart.post("/checkout/", {**FORM, "expected_total": "88.00"})

    assert response.status_code == 200
    assert "the total is now $99.00" in response.text
    assert 'value="99.00"' in response.text
    assert not Order.objects.exists()
    confirmed = shopper_with_cart.post("/checkout/", {**FORM, "expected_total": "99.00"})
    assert confirmed.status_code == 302


@pytest.mark.parametrize("language", ["de", "ar"])
def test_in_german_and_arabic_the_total_shown_is_the_total_confirmed(shopper_with_cart, language):
    shopper_with_cart.cookies["django_language"] = language
    page = shopper_with_cart.get("/checkout/").text
    shown = re.search(r'name="expected_total" value="([^"]*)"', page).group(1)

    response = shopper_with_cart.post("/checkout/", {**FORM, "expected_total": shown})

    assert shown == "88.00"  # a number for the form, not written the German or Arabic way
    assert response.status_code == 302 and Order.objects.count() == 1


def test_an_unknown_promo_code_is_shown_on_the_field(shopper_with_cart):
    response = shopper_with_cart.post("/checkout/", {**FORM, "promo_code": "NOPE"})

    assert "We don&#x27;t know that promo code." in response.text
    assert not Order.objects.exists()


def test_with_checkout_requiring_login_a_guest_is_sent_to_log_in(client, settings):
    settings.CHECKOUT_REQUIRES_LOGIN = True

    response = client.get("/checkout/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/checkout/"


def test_paying_on_the_test_page_shows_the_confirmation(
    shopper_with_cart, django_capture_on_commit_callbacks
):
    pay_url = shopper_with_cart.post("/checkout/", FORM).url

    with django_capture_on_commit_callbacks(execute=True):
        paid = shopper_with_cart.post(pay_url, {"outcome": "pay"}, follow=True)

    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert 'data-testid="order-confirmation"' in paid.text
    assert re.search(rf'data-testid="order-number">{order.number}<', paid.text)
    assert 'data-testid="cart-count">0<' in paid.text
    assert len(mail.outbox) == 1


def test_failing_on_the_test_page_keeps_the_cart(shopper_with_cart):
    pay_url = shopper_with_cart.post("/checkout/", FORM).url

    failed = shopper_with_cart.post(pay_url, {"outcome": "fail"}, follow=True)

    assert Order.objects.get().status == Order.Status.CANCELLED
    assert "The test payment failed" in failed.text
    assert 'data-testid="cart-count">2<' in failed.text


def test_coming_back_without_paying_offers_to_cancel_and_keeps_the_cart(shopper_with_cart):
    shopper_with_cart.post("/checkout/", FORM)
    order = Order.objects.get()

    page = shopper_with_cart.get(f"/checkout/cancel/?order={order.number}")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT  # a GET changes nothing
    assert 'data-testid="cancel-payment"' in page.text
    response = shopper_with_cart.post("/checkout/cancel/", {"order": order.number}, follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert "Your cart is just as you left it." in response.text
    assert 'data-testid="cart-count">2<' in response.text
    assert Client().get(f"/checkout/cancel/?order={order.number}").status_code == 302


def test_a_payment_that_came_too_late_says_it_is_refunded(
    shopper_with_cart, variant, django_capture_on_commit_callbacks
):
    shopper_with_cart.post("/checkout/", FORM)
    order = Order.objects.get()
    stock_set(variant_id=variant.pk, quantity=1)  # sold elsewhere meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order_id=order.pk, payment_intent="pi_late")

    page = shopper_with_cart.get(f"/checkout/success/?order={order.number}").text

    assert "Nothing was charged" not in page
    assert 'data-testid="order-refunded"' in page and order.number in page


def test_someone_elses_confirmation_page_is_404(shopper_with_cart):
    shopper_with_cart.post("/checkout/", FORM)
    order = Order.objects.get()

    assert Client().get(f"/checkout/success/?order={order.number}").status_code == 404
    assert shopper_with_cart.get(f"/checkout/success/?order={order.number}").status_code == 200


def test_a_forged_test_payment_link_is_404(client):
    assert client.get("/checkout/pay/forged-token/").status_code == 404


def test_my_orders_lists_only_my_orders(client, variant):
    me, other = UserFactory(), UserFactory()
    for user in (me, other):
        client.force_login(user)
        client.post("/cart/add/", {"variant_id": variant.pk})
        pay_url = client.post("/checkout/", {**FORM, "email": user.email}).url
        client.post(pay_url, {"outcome": "pay"})
    mine = Order.objects.get(user=me)
    theirs = Order.objects.get(user=other)
    client.force_login(me)

    listing = client.get("/orders/")
    detail = client.get(f"/orders/{mine.number}/")

    assert mine.number in listing.text and theirs.number not in listing.text
    assert detail.status_code == 200 and "Paid" in detail.text
    assert client.get(f"/orders/{theirs.number}/").status_code == 404
    client.logout()
    assert client.get("/orders/").url.startswith("/login/")


def test_the_webhook_refuses_unsigned_posts(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"

    assert (
        client.post("/checkout/webhook/stripe/", "{}", content_type="application/json").status_code
        == 400
    )
    assert client.get("/checkout/webhook/stripe/").status_code == 405


def test_staff_admin_for_orders(client, variant):
    from tests.factories import StaffFactory

    client.post("/cart/add/", {"variant_id": variant.pk})
    pay_url = client.post("/checkout/", FORM).url
    client.post(pay_url, {"outcome": "pay"})
    order = Order.objects.get()
    client.force_login(StaffFactory())

    listing = client.get("/admin/checkout/order/?status__exact=paid&q=guest@example.com")
    change = client.get(f"/admin/checkout/order/{order.pk}/change/")
    slip = client.get(f"/admin/checkout/order/{order.pk}/packing-slip/")
    fulfil = client.post(
        "/admin/checkout/order/", {"action": "mark_fulfilled", "_selected_action": [order.pk]}
    )
    refund = client.post(
        "/admin/checkout/order/", {"action": "refund", "_selected_action": [order.pk]}
    )

    assert order.number in listing.text
    assert change.status_code == 200 and variant.sku in change.text
    assert slip.status_code == 200 and "Packing slip" in slip.text and "Grace Hopper" in slip.text
    assert fulfil.status_code == refund.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    for url in (
        "/admin/checkout/promocode/",
        "/admin/checkout/shippingmethod/",
        "/admin/inventory/stockreservation/",
    ):
        assert client.get(url).status_code == 200


def test_saving_a_cart_in_admin_never_hides_its_open_checkout(client, variant):
    from cart import services as cart_services
    from cart.models import Cart

    owner = guest_cart((variant, 1))
    order = start(owner).order
    cart = Cart.objects.get(token=owner.token)
    client.force_login(StaffFactory(is_superuser=True))

    inlines = {
        f"{prefix}-{key}": 0
        for prefix in ("lines", "events")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    saved = client.post(f"/admin/cart/cart/{cart.pk}/change/", inlines)  # every box unticked
    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=1, source="test")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "cart_changed"


# --- the test payment backend only where it is allowed, only for its own orders ---------


def test_where_test_payments_are_not_allowed_checkout_refuses_and_holds_nothing(
    shopper_with_cart, settings, variant, caplog
):
    settings.ALLOW_TEST_PAYMENTS = False

    page = shopper_with_cart.post("/checkout/", FORM)
    api = shopper_with_cart.post(
        "/api/v1/checkout/",
        {
            "email": "guest@example.com",
            "shipping_address": {
                "name": "Grace Hopper",
                "line1": "1 Main St",
                "city": "Springfield",
                "postal_code": "12345",
                "country": "US",
            },
            "shipping_method": "standard",
        },
        content_type="application/json",
    )

    assert page.status_code == 200 and "Nothing was charged" in page.text
    assert api.status_code == 503 and api.json()["code"] == "payment_unavailable"
    assert not Order.objects.exists()
    assert "ALLOW_TEST_PAYMENTS" in caplog.text  # the operator is told what to set


def test_the_test_payment_page_is_gone_once_test_payments_are_not_allowed(
    shopper_with_cart, settings
):
    pay_url = shopper_with_cart.post("/checkout/", FORM).url
    settings.ALLOW_TEST_PAYMENTS = False

    assert shopper_with_cart.get(pay_url).status_code == 404
    assert shopper_with_cart.post(pay_url, {"outcome": "pay"}).status_code == 404
    assert Order.objects.get().status == Order.Status.PENDING_PAYMENT


def test_the_test_payment_page_is_404_for_a_stripe_order(shopper_with_cart, fake_stripe):
    shopper_with_cart.post("/checkout/", FORM)
    order = Order.objects.get()
    assert order.payment_backend == "stripe"
    pay_url = f"/checkout/pay/{services.local_payment_token(order)}/"

    assert shopper_with_cart.get(pay_url).status_code == 404
    assert shopper_with_cart.post(pay_url, {"outcome": "pay"}).status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_a_single_variant_line_never_says_default_from_cart_to_email(
    client, django_capture_on_commit_callbacks
):
    from cart.models import Cart

    kettle = VariantFactory(
        name="Default", price="40.00", product__name="Copper Kettle", stock_on_hand=9
    )
    tee = VariantFactory(name="Large", price="20.00", product__name="Cotton Tee")
    VariantFactory(name="Small", product=tee.product)
    shopper = UserFactory()
    client.force_login(shopper)
    for variant in (kettle, tee):
        client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1})

    pages = {
        "cart": client.get("/cart/").text,
        "mini cart": client.get("/cart/mini/").text,
        "checkout": client.get("/checkout/").text,
    }
    pay_url = client.post("/checkout/", {**FORM, "email": shopper.email}).url
    pages["pay page"] = client.get(pay_url).text
    with django_capture_on_commit_callbacks(execute=True):
        pages["confirmation"] = client.post(pay_url, {"outcome": "pay"}, follow=True).text
    order = Order.objects.get()
    pages["order page"] = client.get(f"/orders/{order.number}/").text
    [email] = mail.outbox
    pages["email"] = email.body
    pages["html email"] = email.alternatives[0][0]
    Cart.objects.all().delete()

    for where, text in pages.items():
        assert "Copper Kettle" in text, where
        assert "Default" not in text, where
        assert "Large" in text, where  # a line with a choice still names it

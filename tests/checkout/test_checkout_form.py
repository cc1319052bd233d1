"""The checkout form as a shopper fills it in: when fields are checked, and what it remembers."""

import re

import pytest

from checkout.models import Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "email": "guest@example.com",
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "line2": "Flat 2",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "phone": "+1 555 0100",
}
EMPTY = {name: "" for name in ADDRESS}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shopper_with_cart(client, variant):
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1})
    return client


def red_fields(html: str) -> list[str]:
    """The inputs a shopper sees marked as wrong."""
    return re.findall(r'<input[^>]*aria-invalid="true"[^>]*name="(\w+)"', html) + re.findall(
        r'<(?:input|select)[^>]*name="(\w+)"[^>]*aria-invalid="true"', html
    )


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', html)


# --- point 2: updating the quote never validates the address -----------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_choosing_shipping_on_an_empty_form_marks_nothing_red(shopper_with_cart, headers):
    response = shopper_with_cart.post(
        "/checkout/",
        {**EMPTY, "country": "", "shipping_method": "express", "action": "update"},
        **headers,
    )

    assert response.status_code == 200
    assert red_fields(response.text) == []
    assert field_errors(response.text) == []
    assert "has-error" not in response.text
    assert re.search(r'data-testid="checkout-shipping">\$15\.00<', response.text)
    assert not Order.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_applying_a_promo_on_an_empty_form_marks_nothing_red(shopper_with_cart, headers):
    response = shopper_with_cart.post(
        "/checkout/",
        {**EMPTY, "shipping_method": "standard", "promo_code": "nope", "action": "update"},
        **headers,
    )

    assert red_fields(response.text) == []
    assert 'data-testid="promo-error"' in response.text  # the promo code itself is answered
    assert "has-error" not in response.text


def test_continue_to_payment_checks_every_field(shopper_with_cart):
    response = shopper_with_cart.post(
        "/checkout/", {**EMPTY, "shipping_method": "standard", "action": "pay"}
    )

    assert set(red_fields(response.text)) == {
        "email",
        "name",
        "line1",
        "city",
        "postal_code",
        "country",
    }
    assert not Order.objects.exists()


def test_a_field_left_with_a_bad_value_is_checked_alone(shopper_with_cart):
    response = shopper_with_cart.post(
        "/checkout/",
        {**EMPTY, "postal_code": "!", "action": "check", "field": "postal_code"},
        **HTMX,
    )

    assert response.status_code == 200
    assert red_fields(response.text) == ["postal_code"]
    assert field_errors(response.text) == ["Please enter a valid postal code."]
    assert 'name="email"' not in response.text  # only that field's block comes back


def test_a_field_checked_alone_says_nothing_once_it_is_right(shopper_with_cart):
    response = shopper_with_cart.post(
        "/checkout/",
        {**EMPTY, "postal_code": "12345", "action": "check", "field": "postal_code"},
        **HTMX,
    )

    assert red_fields(response.text) == [] and field_errors(response.text) == []


def test_checking_a_field_that_is_not_on_the_form_is_refused(shopper_with_cart):
    for name in ("expected_total", "shipping_method", "nope", ""):
        response = shopper_with_cart.post("/checkout/", {"action": "check", "field": name}, **HTMX)
        assert response.status_code == 400


def test_a_field_already_shown_wrong_stays_wrong_when_the_quote_updates(shopper_with_cart):
    response = shopper_with_cart.post(
        "/checkout/",
        {
            **EMPTY,
            "postal_code": "!",
            "checked": ["postal_code", "email"],
            "shipping_method": "express",
            "action": "update",
        },
        **HTMX,
    )

    # The postal code was shown wrong and still is; the empty email too; nothing else is.
    assert set(red_fields(response.text)) == {"postal_code", "email"}


# --- point 6: the form comes back filled in after a failed or cancelled payment ----------

FILLED = {**ADDRESS, "shipping_method": "express", "promo_code": "SAVE10"}


def form_values(html: str) -> dict:
    """What each field of the form shows."""
    values = {name: "" for name in ADDRESS}
    values |= {
        name: value
        for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html)
        if name in ADDRESS or name == "promo_code"
    }
    values.update(
        re.findall(r'<select name="(\w+)"[^>]*>.*?<option value="(\w+)" selected', html, re.S)
    )
    checked = re.search(r'name="shipping_method" value="(\w+)" checked', html)
    values["shipping_method"] = checked.group(1) if checked else None
    return values


@pytest.fixture
def save10(db):
    from tests.factories import PromoCodeFactory

    return PromoCodeFactory(code="SAVE10")


def test_after_a_failed_test_payment_the_form_is_filled_in_again(shopper_with_cart, save10):
    pay_url = shopper_with_cart.post("/checkout/", {**FILLED, "action": "pay"}).url
    shopper_with_cart.post(pay_url, {"outcome": "fail"})

    page = shopper_with_cart.get("/checkout/").text

    assert form_values(page) == FILLED
    assert 'data-testid="promo-applied"' in page


def test_after_a_cancelled_payment_the_form_is_filled_in_again(shopper_with_cart, save10):
    shopper_with_cart.post("/checkout/", {**FILLED, "action": "pay"})
    order = Order.objects.get()
    shopper_with_cart.post("/checkout/cancel/", {"order": order.number})

    assert form_values(shopper_with_cart.get("/checkout/").text) == FILLED


def test_the_form_is_kept_in_the_session_only(shopper_with_cart, save10):
    from cart.models import Cart

    shopper_with_cart.post("/checkout/", {**FILLED, "action": "pay"})

    assert shopper_with_cart.session["checkout_form"]["line1"] == "1 Main St"
    cart = Cart.objects.values().get()
    assert not any("Main St" in str(value) for value in cart.values())
    assert "Main St" not in str(shopper_with_cart.cookies)


def test_what_was_typed_before_only_updating_the_quote_is_kept_too(shopper_with_cart):
    shopper_with_cart.post(
        "/checkout/",
        {**EMPTY, "name": "Grace Hopper", "shipping_method": "express", "action": "update"},
    )

    values = form_values(shopper_with_cart.get("/checkout/").text)

    assert values["name"] == "Grace Hopper" and values["shipping_method"] == "express"


def test_a_logged_in_shoppers_details_fill_the_form_until_they_submit_others(client, variant):
    user = UserFactory(email="ada@example.com", full_name="Ada Lovelace")
    client.force_login(user)
    client.post("/cart/add/", {"variant_id": variant.pk})

    first = form_values(client.get("/checkout/").text)
    pay_url = client.post(
        "/checkout/", {**FILLED, "promo_code": "", "email": "ada@work.example", "action": "pay"}
    ).url
    client.post(pay_url, {"outcome": "fail"})
    again = form_values(client.get("/checkout/").text)

    assert first["email"] == "ada@example.com" and first["name"] == "Ada Lovelace"
    assert again["email"] == "ada@work.example" and again["name"] == "Grace Hopper"


def test_a_paid_order_forgets_the_form(shopper_with_cart, variant):
    pay_url = shopper_with_cart.post(
        "/checkout/", {**FILLED, "promo_code": "", "action": "pay"}
    ).url
    shopper_with_cart.post(pay_url, {"outcome": "pay"}, follow=True)
    shopper_with_cart.post("/cart/add/", {"variant_id": variant.pk})

    values = form_values(shopper_with_cart.get("/checkout/").text)

    assert values["name"] == "" and values["line1"] == ""
    assert "checkout_form" not in shopper_with_cart.session


# --- point 18: the pages around the payment ---------------------------------------------


def test_the_pay_and_cancel_pages_show_the_total_with_its_parts(shopper_with_cart):
    pay_url = shopper_with_cart.post(
        "/checkout/", {**FILLED, "promo_code": "", "action": "pay"}
    ).url
    order = Order.objects.get()

    pay = shopper_with_cart.get(pay_url).text
    cancel = shopper_with_cart.get(f"/checkout/cancel/?order={order.number}").text

    for page in (pay, cancel):
        for label in ("Subtotal", "Shipping", "Tax", "Total"):
            assert f"<dt>{label}" in page
    assert f'data-testid="test-payment-total">${order.total}<' in pay
    assert re.search(r'class="order-number" data-testid="order-number">NW-', pay)


def test_the_shipping_method_is_named_without_nested_brackets(shopper_with_cart):
    pay_url = shopper_with_cart.post(
        "/checkout/", {**FILLED, "promo_code": "", "action": "pay"}
    ).url
    page = shopper_with_cart.post(pay_url, {"outcome": "pay"}, follow=True).text

    assert "Express (next working day)" in page
    assert "(Express (" not in page
